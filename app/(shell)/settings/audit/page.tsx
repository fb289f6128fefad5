import type { Metadata } from "next";
import { AuditLog } from "@/components/settings/audit-log";
import { ForbiddenPage } from "@/components/ui/forbidden-page";
import { db } from "@/lib/db/client";
import { AUDIT_PAGE_SIZE, type AuditEventView } from "@/lib/queries/audit";
import { requireRole } from "../../../_lib/auth";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  const { actor, isAllowed } = await requireRole("/settings/audit", "admin");
  if (!isAllowed) return <ForbiddenPage required="admin" actual={actor.role} what="The audit log" />;
  // Same query as GET /api/audit, serialised the same way.
  const rows = await db().auditEvent.findMany({ orderBy: { at: "desc" }, take: AUDIT_PAGE_SIZE });
  const events: AuditEventView[] = rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  return (
    <div className="page">
      <AuditLog initialEvents={events} />
    </div>
  );
}
