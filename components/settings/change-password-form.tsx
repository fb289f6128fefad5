"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { FieldError, hasError } from "@/components/ui/field-errors";
import { type FieldErrors, issuesToErrors } from "@/components/ui/field-errors-model";
import { Notice } from "@/components/ui/notice";
import { passwordChangeSchema } from "@/lib/auth/schemas";
import { errorMessage, isApiError } from "@/lib/queries/api";
import { changePassword } from "@/lib/queries/session";

export function ChangePasswordForm() {
  const uid = useId();
  const id = (n: string) => `${uid}-${n}`;
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [isDone, setIsDone] = useState(false);

  const change = useMutation({
    mutationFn: changePassword,
    gcTime: 0,
    onSuccess: () => {
      setCurrent("");
      setNew("");
      setRepeat("");
      setIsDone(true);
    },
    onError: (err) => setErrors(issuesToErrors(isApiError(err) ? err.issues : [])),
  });

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setIsDone(false);
    const parsed = passwordChangeSchema.safeParse({ currentPassword, newPassword });
    const found = issuesToErrors(parsed.success ? [] : parsed.error.issues);
    if (repeat !== newPassword) found.repeat = ["does not match the new password"];
    setErrors(found);
    if (!parsed.success || Object.keys(found).length > 0) return;
    change.mutate(parsed.data);
  }

  const describedBy = (f: string, hint?: string) =>
    [hint ? id(hint) : null, hasError(errors, f) ? id(`${f}-error`) : null].filter(Boolean).join(" ") ||
    undefined;

  const field = (
    name: "currentPassword" | "newPassword" | "repeat",
    label: string,
    value: string,
    set: (v: string) => void,
    autoComplete: string,
    hint?: string,
  ) => (
    <div className="field">
      <label htmlFor={id(name)}>{label}</label>
      <input
        id={id(name)}
        type="password"
        value={value}
        onChange={(e) => set(e.target.value)}
        autoComplete={autoComplete}
        aria-invalid={hasError(errors, name)}
        aria-describedby={describedBy(name, hint ? `${name}-hint` : undefined)}
      />
      {hint ? (
        <p className="hint" id={id(`${name}-hint`)}>
          {hint}
        </p>
      ) : null}
      <FieldError id={id(`${name}-error`)} errors={errors} path={name} />
    </div>
  );

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Change password">
      {isDone ? (
        <Notice tone="ok" title="Password changed" role="status">
          <p>Your other sessions have been signed out; this one stays signed in.</p>
        </Notice>
      ) : null}
      {change.isError && !(isApiError(change.error) && change.error.issues.length > 0) ? (
        <Notice tone="danger" title="Could not change the password" role="alert">
          <p>{errorMessage(change.error)}</p>
        </Notice>
      ) : null}
      {field("currentPassword", "Current password", currentPassword, setCurrent, "current-password")}
      {field("newPassword", "New password", newPassword, setNew, "new-password", "At least 12 characters.")}
      {field("repeat", "Repeat the new password", repeat, setRepeat, "new-password")}
      <button type="submit" className="button button--primary" disabled={change.isPending}>
        {change.isPending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
