import type { ReactNode } from "react";
import { NavLinks } from "@/components/shell/nav-links";
import { hasRole } from "@/lib/auth/roles";
import { currentActor } from "@/lib/auth/session";

const ACCOUNT_NAV = [{ href: "/settings/account", label: "Your account" }];
const ADMIN_NAV = [
  { href: "/settings/users", label: "Users" },
  { href: "/settings/tokens", label: "API tokens" },
  { href: "/settings/data-sources", label: "Data sources" },
  { href: "/settings/audit", label: "Audit log" },
];

// Only decoration: each settings page checks the role it needs itself.
export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  const isAdmin = actor !== null && hasRole(actor.role, "admin");
  return (
    <>
      {actor ? (
        <div className="page" style={{ paddingBottom: 0 }}>
          <NavLinks
            items={isAdmin ? [...ACCOUNT_NAV, ...ADMIN_NAV] : ACCOUNT_NAV}
            label="Settings"
            className="settings-nav"
          />
        </div>
      ) : null}
      {children}
    </>
  );
}
