"use client";

import { useEffect } from "react";

/** Body of every route segment's error.tsx: says what failed and offers a retry. */
export function SegmentError({ title, error, retry }: { title: string; error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest =
    error instanceof Error && "digest" in error ? String((error as { digest?: unknown }).digest ?? "") : "";
  return (
    <div className="page">
      <section className="status-page" role="alert" aria-labelledby="segment-error-title">
        <span className="status-code" aria-hidden="true">
          ✖
        </span>
        <h1 id="segment-error-title">{title}</h1>
        <p>
          Outpost could not load this page. The server may be restarting or the database busy; retrying is
          safe.
        </p>
        {digest ? (
          <p className="muted">
            Reference for the server log: <code>{digest}</code>
          </p>
        ) : null}
        <div className="actions">
          <button type="button" className="button button--primary" onClick={() => retry()}>
            Try again
          </button>
          <a className="button" href="/">
            Go to Fleet
          </a>
        </div>
      </section>
    </div>
  );
}
