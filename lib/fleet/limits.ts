// The fleet list's query limits, without zod: the API's schema (lib/fleet/schemas.ts)
// refuses beyond them and the control center (lib/queries/fleet-health.ts) never asks
// beyond them, so the browser gets the numbers without the validation library.

export const FLEET_QUERY_LIMITS = { label: 300, q: 100, pageMax: 500, pageDefault: 50 } as const;
