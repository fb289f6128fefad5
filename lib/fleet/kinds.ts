// Site kinds without zod, so browser code that only needs the names (filters,
// labels) does not ship the validation library on the control center.

export const SITE_KINDS = ["wind-farm", "store", "vehicle", "factory", "other"] as const;
export type SiteKind = (typeof SITE_KINDS)[number];
export const SITE_KIND_LABELS: Record<SiteKind, string> = {
  "wind-farm": "Wind farm",
  store: "Store",
  vehicle: "Vehicle",
  factory: "Factory",
  other: "Other",
};
