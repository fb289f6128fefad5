import type { Role } from "./roles";

// Which pages need more than a signed-in viewer, in one table: the shell checks it
// before anything streams (so a forbidden page answers HTTP 403), the page checks
// it again itself (layouts do not re-run on client navigation), and the forbidden
// page explains from it what was refused.

export interface PageRule {
  pattern: RegExp;
  role: Role;
  /** what the page does, for "… needs the admin role" */
  what: string;
}

export const PAGE_RULES: readonly PageRule[] = [
  { pattern: /^\/settings\/users\/?$/, role: "admin", what: "Managing users" },
  { pattern: /^\/settings\/tokens\/?$/, role: "admin", what: "Managing API tokens" },
  { pattern: /^\/settings\/data-sources(\/.*)?$/, role: "admin", what: "Managing data sources" },
  { pattern: /^\/settings\/audit\/?$/, role: "admin", what: "The audit log" },
  { pattern: /^\/sites\/new\/?$/, role: "admin", what: "Adding sites" },
  { pattern: /^\/sites\/[^/]+\/edit\/?$/, role: "admin", what: "Editing sites" },
  { pattern: /^\/sites\/[^/]+\/clusters\/new\/?$/, role: "admin", what: "Registering clusters" },
  { pattern: /^\/embeds\/?$/, role: "operator", what: "Managing embeds" },
  { pattern: /^\/deployments\/new\/?$/, role: "operator", what: "Creating deployments" },
  { pattern: /^\/alerts\/contact-points\/?$/, role: "admin", what: "Managing contact points" },
];

export function pageRule(path: string): PageRule | null {
  return PAGE_RULES.find((r) => r.pattern.test(path)) ?? null;
}
