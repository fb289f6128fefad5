import type { Role } from "@/lib/auth/roles";

/** What a signed-in user without the role sees instead of the content (served with HTTP 403). */
export function ForbiddenPage({
  required,
  actual,
  what,
}: {
  required: Role | null;
  actual: Role | null;
  what: string | null;
}) {
  return (
    <div className="page">
      <section className="status-page" aria-labelledby="forbidden-title" data-testid="forbidden">
        <span className="status-code">403</span>
        <h1 id="forbidden-title">Not allowed</h1>
        {required && actual ? (
          <p>
            {what ?? "This page"} needs the <strong>{required}</strong> role; you are signed in as{" "}
            <strong>{actual}</strong>.
          </p>
        ) : (
          <p>Your role does not allow this page.</p>
        )}
        <p className="muted">Ask an Outpost admin to change your role if you need access.</p>
        <a className="button" href="/">
          Back to Fleet
        </a>
      </section>
    </div>
  );
}
