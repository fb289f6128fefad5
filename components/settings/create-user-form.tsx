"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { FieldError, hasError } from "@/components/ui/field-errors";
import { type FieldErrors, issuesToErrors } from "@/components/ui/field-errors-model";
import { Notice } from "@/components/ui/notice";
import { ROLE_DESCRIPTIONS, ROLES, type Role } from "@/lib/auth/roles";
import { userCreateSchema } from "@/lib/auth/schemas";
import { errorMessage, isApiError } from "@/lib/queries/api";
import { createUser, userKeys } from "@/lib/queries/users";

export function CreateUserForm({ onCreated }: { onCreated: (username: string) => void }) {
  const queryClient = useQueryClient();
  const uid = useId();
  const id = (n: string) => `${uid}-${n}`;
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [errors, setErrors] = useState<FieldErrors>({});

  const create = useMutation({
    mutationFn: createUser,
    gcTime: 0,
    onSuccess: async ({ user }) => {
      setUsername("");
      setPassword("");
      setRole("viewer");
      await queryClient.invalidateQueries({ queryKey: userKeys.all });
      onCreated(user.username);
    },
    onError: (err) => setErrors(issuesToErrors(isApiError(err) ? err.issues : [])),
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = userCreateSchema.safeParse({ username, password, role });
    if (!parsed.success) {
      setErrors(issuesToErrors(parsed.error.issues));
      return;
    }
    setErrors({});
    create.mutate(parsed.data);
  }

  const describedBy = (f: string, hint?: string) =>
    [hint ? id(hint) : null, hasError(errors, f) ? id(`${f}-error`) : null].filter(Boolean).join(" ") ||
    undefined;

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Create user">
      {create.isError && !isApiError(create.error) ? (
        <Notice tone="danger" title="Could not create the user" role="alert">
          <p>{errorMessage(create.error)}</p>
        </Notice>
      ) : null}
      {create.isError && isApiError(create.error) && create.error.issues.length === 0 ? (
        <Notice tone="danger" title={create.error.message} role="alert" />
      ) : null}
      <div className="field-row">
        <div className="field">
          <label htmlFor={id("username")}>Username</label>
          <input
            id={id("username")}
            type="text"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={hasError(errors, "username")}
            aria-describedby={describedBy("username")}
          />
          <FieldError id={id("username-error")} errors={errors} path="username" />
        </div>
        <div className="field">
          <label htmlFor={id("password")}>Initial password</label>
          <input
            id={id("password")}
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            aria-invalid={hasError(errors, "password")}
            aria-describedby={describedBy("password", "password-hint")}
          />
          <p className="hint" id={id("password-hint")}>
            At least 12 characters. Give it to the person over a safe channel.
          </p>
          <FieldError id={id("password-error")} errors={errors} path="password" />
        </div>
        <div className="field">
          <label htmlFor={id("role")}>Role</label>
          <select
            id={id("role")}
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            aria-describedby={describedBy("role", "role-hint")}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <p className="hint" id={id("role-hint")}>
            {role}: {ROLE_DESCRIPTIONS[role]}
          </p>
          <FieldError id={id("role-error")} errors={errors} path="role" />
        </div>
      </div>
      <button type="submit" className="button button--primary" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create user"}
      </button>
    </form>
  );
}
