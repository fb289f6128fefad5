// Roles are ordered: each one may do everything the one before it may.
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export function hasRole(actual: Role, required: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(required);
}

/** The lower of two roles. */
export function minRole(a: Role, b: Role): Role {
  return ROLES.indexOf(a) <= ROLES.indexOf(b) ? a : b;
}

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  viewer: "reads everything except secrets",
  operator: "also deploys, restarts and silences alerts",
  admin: "also manages sites, clusters, data sources, users and tokens",
};
