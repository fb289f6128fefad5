import type { ReactNode } from "react";
import { NavLinks } from "@/components/shell/nav-links";
import { hasRole } from "@/lib/auth/roles";
import { currentActor } from "@/lib/auth/session";

const SETTINGS_NAV = [
  { href: "/settings/users", label: "Users" },
  { href: "/settings/tokens", label: "API tokens" },
  { href: "/settings/data-sources", label: "Data sources" },
  { href: "/settings/audit", label: "Audit log" },
];

// Only decoration: each settings page checks the admin role itself.
export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  const isAdmin = actor !== null && hasRole(actor.role, "admin");
  return (
    <>
      {isAdmin ? (
        <div className="page" style={{ paddingBottom: 0 }}>
          <NavLinks items={SETTINGS_NAV} label="Settings" className="settings-nav" />
        </div>
      ) : null}
      {children}
    </>
  );
}
