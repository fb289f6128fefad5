export function LoadingPanel({ label }: { label: string }) {
  return (
    <div className="page">
      <div className="loading" role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" />
        {label}
      </div>
    </div>
  );
}
