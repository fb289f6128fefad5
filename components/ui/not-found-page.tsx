import Link from "next/link";

export function NotFoundPage({
  title,
  children,
  backHref,
  backLabel,
}: {
  title: string;
  children?: React.ReactNode;
  backHref: string;
  backLabel: string;
}) {
  return (
    <div className="page">
      <section className="status-page status-page--info" aria-labelledby="not-found-title">
        <span className="status-code">404</span>
        <h1 id="not-found-title">{title}</h1>
        {children}
        <Link className="button" href={backHref}>
          {backLabel}
        </Link>
      </section>
    </div>
  );
}
