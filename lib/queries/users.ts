import type { Role } from "@/lib/auth/roles";
import type { UserView } from "@/lib/auth/users";
import { apiFetch } from "./api";

export type { UserView };

export const userKeys = {
  all: ["users"] as const,
  list: () => [...userKeys.all, "list"] as const,
};

export function fetchUsers(signal?: AbortSignal): Promise<{ items: UserView[] }> {
  return apiFetch("/api/users", { signal });
}

export function createUser(input: {
  username: string;
  password: string;
  role: Role;
}): Promise<{ user: UserView }> {
  return apiFetch("/api/users", { method: "POST", body: input });
}

export function updateUser(
  id: string,
  patch: { role?: Role; isDisabled?: boolean; password?: string },
): Promise<{ user: UserView }> {
  return apiFetch(`/api/users/${encodeURIComponent(id)}`, { method: "PATCH", body: patch });
}
