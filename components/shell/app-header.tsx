import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { hasRole, type Role } from "@/lib/auth/roles";
import { type NavItem, NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

const NAV: NavItem[] = [
  { href: "/", label: "Fleet" },
  { href: "/sites", label: "Sites" },
  { href: "/alerts", label: "Alerts" },
  { href: "/deployments", label: "Deployments" },
  { href: "/settings", label: "Settings" },
];

/** Pages only some roles can use: shown to those roles (each page still checks itself). */
const ROLE_NAV: { item: NavItem; role: Role; before: string }[] = [
  { item: { href: "/embeds", label: "Embeds" }, role: "operator", before: "/settings" },
];

function navFor(role: Role): NavItem[] {
  const items = [...NAV];
  for (const { item, role: needed, before } of ROLE_NAV) {
    if (!hasRole(role, needed)) continue;
    const at = items.findIndex((i) => i.href === before);
    items.splice(at < 0 ? items.length : at, 0, item);
  }
  return items;
}

export function AppHeader({ username, role }: { username: string; role: Role }) {
  return (
    <header className="shell-header">
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden="true">
          ◈
        </span>
        Outpost
      </Link>
      <NavLinks items={navFor(role)} label="Main" className="main-nav" />
      <div className="user-box" data-testid="user-box">
        <span>
          <span className="visually-hidden">Signed in as </span>
          <span className="user-name">{username}</span>
        </span>
        <Badge tone={role === "admin" ? "info" : "neutral"} icon="◆">
          {role}
        </Badge>
        <SignOutButton />
      </div>
    </header>
  );
}
