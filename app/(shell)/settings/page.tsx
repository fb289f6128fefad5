import { redirect } from "next/navigation";
import { ForbiddenPage } from "@/components/ui/forbidden-page";
import { requireRole } from "../../_lib/auth";

export default async function SettingsPage() {
  const { actor, isAllowed } = await requireRole("/settings", "admin");
  if (!isAllowed) return <ForbiddenPage required="admin" actual={actor.role} what="Settings" />;
  redirect("/settings/users");
}
