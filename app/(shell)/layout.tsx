import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import { currentActor } from "@/lib/auth/session";

// The shell shows who is signed in. It does not guard anything: each page calls
// requireActor() itself (layouts don't re-render on client navigation).
export default async function ShellLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {actor ? <AppHeader username={actor.username} role={actor.role} /> : null}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
