/** Renderer: which workloads a restart takes (label selector, optional namespace); ids start with `id`. */
export function RestartWorkloadFields({
  id,
  labelSelector,
  namespace,
  onLabelSelectorChange,
  onNamespaceChange,
}: {
  id: string;
  labelSelector: string;
  namespace: string;
  onLabelSelectorChange: (v: string) => void;
  onNamespaceChange: (v: string) => void;
}) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-selector`}>Label selector</label>
        <input
          id={`${id}-selector`}
          value={labelSelector}
          onChange={(e) => onLabelSelectorChange(e.target.value)}
          placeholder="app=pos-api"
          spellCheck={false}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-namespace`}>
          Namespace <span className="optional">(optional)</span>
        </label>
        <input id={`${id}-namespace`} value={namespace} onChange={(e) => onNamespaceChange(e.target.value)} />
      </div>
    </>
  );
}
