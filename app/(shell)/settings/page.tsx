import { redirect } from "next/navigation";
import { hasRole } from "@/lib/auth/roles";
import { requireActor } from "../../_lib/auth";

// Admins land on user management; everyone else on their own account.
export default async function SettingsPage() {
  const actor = await requireActor("/settings");
  redirect(hasRole(actor.role, "admin") ? "/settings/users" : "/settings/account");
}
