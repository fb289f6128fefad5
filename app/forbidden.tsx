import { ForbiddenPage } from "@/components/ui/forbidden-page";
import { pageRule } from "@/lib/auth/page-access";
import { currentActor } from "@/lib/auth/session";
import { requestPath } from "./_lib/auth";

// Rendered by forbidden() (answering 403 when the shell refuses before streaming).
export default async function Forbidden() {
  const [actor, path] = await Promise.all([currentActor(), requestPath()]);
  const rule = path ? pageRule(path) : null;
  return (
    <ForbiddenPage required={rule?.role ?? null} actual={actor?.role ?? null} what={rule?.what ?? null} />
  );
}
