// Which client asked which cluster for what, and when. Tests of sharded
// collection count how often each cluster was polled and by which Outpost
// instance (its User-Agent names it). Opt-in, one request kind, bounded.

export interface RequestLogOptions {
  /** the request to record, e.g. GET /api/v1/nodes (one per Outpost poll) */
  method?: string;
  path: string;
  /** oldest entries are dropped beyond this many */
  limit?: number;
}

export interface LoggedRequest {
  site: string;
  cluster: string;
  /** the User-Agent header, "" when absent */
  agent: string;
  at: number;
}

const DEFAULT_LIMIT = 500_000;

export class RequestLog {
  private items: LoggedRequest[] = [];
  private readonly method: string;
  private readonly limit: number;

  constructor(private readonly options: RequestLogOptions) {
    this.method = (options.method ?? "GET").toUpperCase();
    this.limit = options.limit ?? DEFAULT_LIMIT;
  }

  record(
    site: string,
    cluster: string,
    method: string | undefined,
    path: string,
    agent: string,
    at: number,
  ): void {
    if (path !== this.options.path || (method ?? "GET").toUpperCase() !== this.method) return;
    this.items.push({ site, cluster, agent, at });
    if (this.items.length > this.limit) this.items = this.items.slice(this.items.length - this.limit);
  }

  /** entries recorded at or after `since` (ms), oldest first */
  entries(since = 0): LoggedRequest[] {
    return since > 0 ? this.items.filter((e) => e.at >= since) : [...this.items];
  }

  clear(): number {
    const n = this.items.length;
    this.items = [];
    return n;
  }
}
