"use client";

import "./globals.css";

export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest =
    error instanceof Error && "digest" in error ? String((error as { digest?: unknown }).digest ?? "") : "";
  return (
    <html lang="en">
      <body>
        <title>Error · Outpost</title>
        <main className="page">
          <section className="status-page" role="alert">
            <span className="status-code" aria-hidden="true">
              ✖
            </span>
            <h1>Outpost hit an error</h1>
            <p>The page could not be shown. Retrying is safe.</p>
            {digest ? (
              <p className="muted">
                Reference: <code>{digest}</code>
              </p>
            ) : null}
            <button type="button" className="button button--primary" onClick={() => retry()}>
              Try again
            </button>
          </section>
        </main>
      </body>
    </html>
  );
}
