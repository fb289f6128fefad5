/** The simulator's fault API (loopback HTTP, see lib/simulator/README.md): the tests' way to break a site. */
export interface FaultInput {
  type: string;
  site: string;
  cluster?: string;
  node?: string;
  params?: Record<string, unknown>;
}

export class SimFaults {
  constructor(private readonly controlUrl: string) {}

  async add(input: FaultInput): Promise<string> {
    const res = await fetch(`${this.controlUrl}/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    });
    const body = (await res.json()) as { id?: string };
    if (res.status !== 201 || !body.id)
      throw new Error(`fault not added: ${res.status} ${JSON.stringify(body)}`);
    return body.id;
  }

  async remove(id: string): Promise<void> {
    const res = await fetch(`${this.controlUrl}/faults/${encodeURIComponent(id)}`, { method: "DELETE" });
    if (res.status !== 200) throw new Error(`fault ${id} not removed: ${res.status}`);
  }

  async clear(): Promise<void> {
    await fetch(`${this.controlUrl}/faults`, { method: "DELETE" });
  }
}
