import type { Role } from "@/lib/auth/roles";
import { apiFetch } from "./api";

// Sign-in and sign-out are mutations only; who is signed in comes from the server render.

export interface SessionUser {
  id: string;
  username: string;
  role: Role;
}

export function login(input: { username: string; password: string }): Promise<{ user: SessionUser }> {
  return apiFetch("/api/auth/login", { method: "POST", body: input });
}

export function logout(): Promise<{ ok: true }> {
  return apiFetch("/api/auth/logout", { method: "POST" });
}

export function changePassword(input: {
  currentPassword: string;
  newPassword: string;
}): Promise<{ ok: true }> {
  return apiFetch("/api/auth/password", { method: "POST", body: input });
}

export const sessionKeys = {
  me: ["session", "me"] as const,
};

/** Who is signed in, for client parts that decide what to offer (the server still checks every call). */
export function fetchMe(signal?: AbortSignal): Promise<{ user: SessionUser & { via: "session" | "token" } }> {
  return apiFetch("/api/auth/me", { signal });
}
