import type { WorkloadFieldValues } from "./use-workload-restart";

/** Which workloads a restart touches: label selector and optional namespace. */
export function WorkloadFields({ idPrefix, fields }: { idPrefix: string; fields: WorkloadFieldValues }) {
  return (
    <>
      <div className="field">
        <label htmlFor={`${idPrefix}-selector`}>Label selector</label>
        <input
          id={`${idPrefix}-selector`}
          value={fields.labelSelector}
          onChange={(e) => fields.setLabelSelector(e.target.value)}
          placeholder="app=pos-api"
          spellCheck={false}
        />
      </div>
      <div className="field">
        <label htmlFor={`${idPrefix}-namespace`}>
          Namespace <span className="optional">(optional)</span>
        </label>
        <input
          id={`${idPrefix}-namespace`}
          value={fields.namespace}
          onChange={(e) => fields.setNamespace(e.target.value)}
        />
      </div>
    </>
  );
}
