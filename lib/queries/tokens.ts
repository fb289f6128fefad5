import type { Role } from "@/lib/auth/roles";
import type { TokenView } from "@/lib/auth/users";
import { apiFetch } from "./api";

export type { TokenView };

export const tokenKeys = {
  all: ["tokens"] as const,
  list: () => [...tokenKeys.all, "list"] as const,
};

/** "last used" moves while automation runs; a minute is plenty for a settings page */
export const TOKEN_LIST_REFETCH_MS = 60_000;

export function fetchTokens(signal?: AbortSignal): Promise<{ items: TokenView[] }> {
  return apiFetch("/api/tokens", { signal });
}

export function createToken(input: {
  name: string;
  role: Role;
  expiresInDays: number | null;
}): Promise<{ token: string; item: TokenView }> {
  return apiFetch("/api/tokens", { method: "POST", body: input });
}

export function revokeToken(id: string): Promise<{ ok: true }> {
  return apiFetch(`/api/tokens/${encodeURIComponent(id)}`, { method: "DELETE" });
}
