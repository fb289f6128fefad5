import type { Role } from "@/lib/auth/roles";
import { apiFetch } from "./api";

export interface SessionUser {
  id: string;
  username: string;
  role: Role;
}

export const sessionKeys = {
  all: ["session"] as const,
  me: () => [...sessionKeys.all, "me"] as const,
};

export function login(input: { username: string; password: string }): Promise<{ user: SessionUser }> {
  return apiFetch("/api/auth/login", { method: "POST", body: input });
}

export function logout(): Promise<{ ok: true }> {
  return apiFetch("/api/auth/logout", { method: "POST" });
}
