"use client";

import { type FormEvent, useId, useRef, useState } from "react";
import { passwordSchema } from "@/lib/auth/schemas";

/** Opens a small modal asking for the new password; the container does the request. */
export function ResetPasswordButton({
  username,
  isBusy,
  onReset,
}: {
  username: string;
  isBusy: boolean;
  onReset: (password: string) => void;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputId = useId();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const parsed = passwordSchema.safeParse(password);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "invalid password");
      return;
    }
    dialogRef.current?.close();
    onReset(password);
    setPassword("");
    setError(null);
  }

  return (
    <>
      <button
        type="button"
        className="button button--small"
        onClick={() => dialogRef.current?.showModal()}
        disabled={isBusy}
        aria-label={`Reset password of ${username}`}
      >
        Reset password
      </button>
      <dialog ref={dialogRef} aria-label={`Reset password of ${username}`}>
        <form onSubmit={onSubmit} noValidate>
          <h2>Reset password of {username}</h2>
          <p className="muted">Their open sessions end; they sign in again with the new password.</p>
          <div className="field">
            <label htmlFor={inputId}>New password</label>
            <input
              id={inputId}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={error !== null}
              aria-describedby={error ? `${inputId}-error` : undefined}
            />
            {error ? (
              <p className="field-error" id={`${inputId}-error`}>
                {error}
              </p>
            ) : null}
          </div>
          <div className="form-actions">
            <button type="submit" className="button button--primary">
              Set password
            </button>
            <button type="button" className="button" onClick={() => dialogRef.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
