// Manifests the e2e specs deploy, one definition each.

/** A web app; `flags` adds a ConfigMap only that revision has (what a rollback must prune). */
export function webApp(name: string, image = "nginx:1.27", flags = false): string {
  const app = `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: default, labels: { app: ${name} } }
spec:
  replicas: 1
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: web, image: "${image}" }] }
`;
  const extra = `---
apiVersion: v1
kind: ConfigMap
metadata: { name: ${name}-flags, namespace: default }
data: { beta: "true" }
`;
  return flags ? app + extra : app;
}
