import type { ReactNode } from "react";
import { AppHeader } from "@/components/shell/app-header";
import { currentActor } from "@/lib/auth/session";
import { guardPage } from "../_lib/auth";

// The shell shows who is signed in. Each page calls requireActor() itself (layouts
// don't re-render on client navigation); the shell repeats the role check only so a
// forbidden page opened directly answers HTTP 403 before anything streams.
export default async function ShellLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  await guardPage(actor);
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
