import Link from "next/link";

export function FleetEmptyState({ isAdmin }: { isAdmin: boolean }) {
  return (
    <section className="empty" aria-labelledby="empty-title" data-testid="fleet-empty">
      <h2 id="empty-title">No sites yet</h2>
      {isAdmin ? (
        <>
          <p>
            A site is a place that runs one or more k3s clusters: a wind farm, a store, a vehicle. Start with
            one of these:
          </p>
          <ol>
            <li>
              <Link href="/sites/new">Add a site</Link>, then register its cluster by pasting the
              cluster&apos;s kubeconfig (k3s writes it to <code>/etc/rancher/k3s/k3s.yaml</code> on the server
              node).
            </li>
            <li>
              Import a whole fleet from a directory of site files and kubeconfigs on the Outpost server:{" "}
              <code>npm run outpost -- import &lt;dir&gt;</code>
            </li>
          </ol>
        </>
      ) : (
        <p>
          An Outpost admin has not added any sites yet. Once they do, every site and its clusters appear here.
        </p>
      )}
    </section>
  );
}
