import type { Metadata } from "next";
import { TokensManager } from "@/components/settings/tokens-manager";
import { listApiTokens } from "@/lib/auth/users";
import { requireActor } from "../../../_lib/auth";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  await requireActor("/settings/tokens");
  const tokens = await listApiTokens();
  return (
    <div className="page">
      <TokensManager initialTokens={tokens} />
    </div>
  );
}
