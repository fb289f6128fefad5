import type { Metadata } from "next";
import { AuditLog } from "@/components/settings/audit-log";
import { db } from "@/lib/db/client";
import { AUDIT_PAGE_SIZE, type AuditEventView } from "@/lib/queries/audit";
import { requireActor } from "../../../_lib/auth";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage() {
  await requireActor("/settings/audit");
  // Same query as GET /api/audit, serialised the same way.
  const rows = await db().auditEvent.findMany({ orderBy: { at: "desc" }, take: AUDIT_PAGE_SIZE });
  const events: AuditEventView[] = rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  return (
    <div className="page">
      <AuditLog initialEvents={events} />
    </div>
  );
}
