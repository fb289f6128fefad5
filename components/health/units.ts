// Capacity and usage as operators read them: cores and GiB.

export function formatCores(millicores: number | null): string {
  if (millicores === null) return "—";
  const cores = millicores / 1000;
  return `${cores >= 10 ? cores.toFixed(0) : cores.toFixed(cores % 1 === 0 ? 0 : 1)} cores`;
}

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "—";
  const gib = bytes / 1024 ** 3;
  if (gib >= 1) return `${gib.toFixed(gib >= 10 ? 0 : 1)} GiB`;
  return `${Math.round(bytes / 1024 ** 2)} MiB`;
}
