import type { Metadata } from "next";
import { UsersManager } from "@/components/settings/users-manager";
import { listUsers } from "@/lib/auth/users";
import { requireActor } from "../../../_lib/auth";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const actor = await requireActor("/settings/users");
  const users = await listUsers();
  return (
    <div className="page">
      <UsersManager initialUsers={users} currentUserId={actor.userId} />
    </div>
  );
}
