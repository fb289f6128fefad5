import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { currentActor } from "@/lib/auth/session";
import { safeNextPath } from "../_lib/safe-next";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { next: rawNext } = await searchParams;
  const next = safeNextPath(Array.isArray(rawNext) ? rawNext[0] : rawNext);
  if (await currentActor()) redirect(next);
  return (
    <main className="login-wrap">
      <div className="login-card">
        <p className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◈
          </span>
          Outpost
        </p>
        <h1>Sign in</h1>
        <p className="muted">Control center for your edge k3s fleet.</p>
        <LoginForm next={next} />
      </div>
    </main>
  );
}
