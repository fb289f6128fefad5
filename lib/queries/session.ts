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
