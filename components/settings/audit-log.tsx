"use client";

import { useQuery } from "@tanstack/react-query";
import { Notice } from "@/components/ui/notice";
import { PageHeader } from "@/components/ui/page-header";
import { errorMessage } from "@/lib/queries/api";
import {
  AUDIT_PAGE_SIZE,
  AUDIT_POLL_MS,
  type AuditEventView,
  auditKeys,
  fetchAudit,
} from "@/lib/queries/audit";
import { AuditTable } from "./audit-table";

/** Container: the latest audit events, polled. */
export function AuditLog({ initialEvents }: { initialEvents: AuditEventView[] }) {
  const audit = useQuery({
    queryKey: auditKeys.list(AUDIT_PAGE_SIZE),
    queryFn: ({ signal }) => fetchAudit(AUDIT_PAGE_SIZE, signal),
    initialData: { items: initialEvents },
    refetchInterval: AUDIT_POLL_MS,
  });
  return (
    <>
      <PageHeader
        title="Audit log"
        description={`The latest ${AUDIT_PAGE_SIZE} sign-ins and changes, newest first. Refreshes every ${AUDIT_POLL_MS / 1000} s.`}
      />
      {audit.isError ? (
        <Notice tone="warn" title="Showing the last known events" role="status">
          <p>{errorMessage(audit.error)}</p>
        </Notice>
      ) : null}
      <AuditTable events={audit.data.items} />
    </>
  );
}
