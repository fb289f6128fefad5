import type { ReactNode } from "react";

/** An honest placeholder: what the page will do, and that it does nothing yet. */
export function ComingSoon({
  title,
  summary,
  items,
}: {
  title: string;
  summary: string;
  items: ReactNode[];
}) {
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{title}</h1>
          <p>{summary}</p>
        </div>
      </header>
      <section className="empty" aria-labelledby="coming-title" data-testid="coming-soon">
        <h2 id="coming-title">Not built yet</h2>
        <p>This page shows no data yet: nothing here is simulated. It will:</p>
        <ul>
          {items.map((item, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: static list
            <li key={i}>{item}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}
