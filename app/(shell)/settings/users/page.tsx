import type { Metadata } from "next";
import { UsersManager } from "@/components/settings/users-manager";
import { ForbiddenPage } from "@/components/ui/forbidden-page";
import { listUsers } from "@/lib/auth/users";
import { requireRole } from "../../../_lib/auth";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const { actor, isAllowed } = await requireRole("/settings/users", "admin");
  if (!isAllowed) return <ForbiddenPage required="admin" actual={actor.role} what="Managing users" />;
  const users = await listUsers();
  return (
    <div className="page">
      <UsersManager initialUsers={users} currentUserId={actor.userId} />
    </div>
  );
}
