"use client";

import { type FormEvent, useId, useState } from "react";
import { FieldError, hasError } from "@/components/ui/field-errors";
import { type FieldErrors, issuesToErrors } from "@/components/ui/field-errors-model";
import { ROLE_DESCRIPTIONS, ROLES, type Role } from "@/lib/auth/roles";
import { tokenCreateSchema } from "@/lib/auth/schemas";

const EXPIRY_CHOICES: { value: string; label: string }[] = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "never", label: "Never (not recommended)" },
];

export interface TokenFormValues {
  name: string;
  role: Role;
  expiresInDays: number | null;
}

/** Renderer-ish form: validates locally, hands valid values to the container. */
export function CreateTokenForm({
  isPending,
  serverErrors,
  onSubmit,
}: {
  isPending: boolean;
  serverErrors: FieldErrors;
  onSubmit: (values: TokenFormValues) => void;
}) {
  const uid = useId();
  const id = (n: string) => `${uid}-${n}`;
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [expiry, setExpiry] = useState("90");
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const errors = { ...serverErrors, ...localErrors };

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = tokenCreateSchema.safeParse({
      name,
      role,
      expiresInDays: expiry === "never" ? null : Number(expiry),
    });
    if (!parsed.success) {
      setLocalErrors(issuesToErrors(parsed.error.issues));
      return;
    }
    setLocalErrors({});
    onSubmit(parsed.data);
    setName("");
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Create API token">
      <div className="field-row">
        <div className="field">
          <label htmlFor={id("name")}>Name</label>
          <input
            id={id("name")}
            type="text"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="ci-deployer"
            autoComplete="off"
            aria-invalid={hasError(errors, "name")}
            aria-describedby={hasError(errors, "name") ? id("name-error") : undefined}
          />
          <FieldError id={id("name-error")} errors={errors} path="name" />
        </div>
        <div className="field">
          <label htmlFor={id("role")}>Role</label>
          <select
            id={id("role")}
            value={role}
            onChange={(e) => setRole(e.target.value as Role)}
            aria-describedby={id("role-hint")}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <p className="hint" id={id("role-hint")}>
            {ROLE_DESCRIPTIONS[role]}
          </p>
          <FieldError id={id("role-error")} errors={errors} path="role" />
        </div>
        <div className="field">
          <label htmlFor={id("expiry")}>Expires after</label>
          <select id={id("expiry")} value={expiry} onChange={(e) => setExpiry(e.target.value)}>
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          <FieldError id={id("expiresInDays-error")} errors={errors} path="expiresInDays" />
        </div>
      </div>
      <button type="submit" className="button button--primary" disabled={isPending}>
        {isPending ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}
