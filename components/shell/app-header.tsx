import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { Role } from "@/lib/auth/roles";
import { type NavItem, NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

const NAV: NavItem[] = [
  { href: "/", label: "Fleet" },
  { href: "/sites", label: "Sites" },
  { href: "/alerts", label: "Alerts" },
  { href: "/deployments", label: "Deployments" },
  { href: "/settings", label: "Settings" },
];

export function AppHeader({ username, role }: { username: string; role: Role }) {
  return (
    <header className="shell-header">
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden="true">
          ◈
        </span>
        Outpost
      </Link>
      <NavLinks items={NAV} label="Main" className="main-nav" />
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
