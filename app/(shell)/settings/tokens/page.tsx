import type { Metadata } from "next";
import { TokensManager } from "@/components/settings/tokens-manager";
import { ForbiddenPage } from "@/components/ui/forbidden-page";
import { listApiTokens } from "@/lib/auth/users";
import { requireRole } from "../../../_lib/auth";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const { actor, isAllowed } = await requireRole("/settings/tokens", "admin");
  if (!isAllowed) return <ForbiddenPage required="admin" actual={actor.role} what="Managing API tokens" />;
  const tokens = await listApiTokens();
  return (
    <div className="page">
      <TokensManager initialTokens={tokens} />
    </div>
  );
}
