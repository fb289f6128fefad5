"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Notice } from "@/components/ui/notice";
import { loginSchema } from "@/lib/auth/schemas";
import { errorMessage, isApiError } from "@/lib/queries/api";
import { login } from "@/lib/queries/session";

function describeLoginError(err: unknown): { title: string; detail: string | null } {
  if (isApiError(err)) {
    if (err.status === 401)
      return { title: "Wrong username or password", detail: "Check both and try again." };
    if (err.status === 429) {
      return { title: "Too many failed sign-ins", detail: err.message };
    }
    if (err.status === 422) return { title: "Enter a username and a password", detail: null };
  }
  return { title: "Could not sign in", detail: errorMessage(err) };
}

export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [error, setError] = useState<{ title: string; detail: string | null } | null>(null);
  const [isPending, setIsPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const parsed = loginSchema.safeParse({ username: data.get("username"), password: data.get("password") });
    if (!parsed.success) {
      setError({ title: "Enter a username and a password", detail: null });
      return;
    }
    setIsPending(true);
    setError(null);
    try {
      await login(parsed.data);
      queryClient.clear();
      router.replace(next);
      router.refresh();
    } catch (err) {
      setError(describeLoginError(err));
      setIsPending(false);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-describedby={error ? "login-error" : undefined}>
      <div aria-live="assertive" id="login-error">
        {error ? (
          <Notice tone="danger" title={error.title} role="alert" testId="login-error">
            {error.detail ? <p>{error.detail}</p> : null}
          </Notice>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor="username">Username</label>
        <input
          id="username"
          name="username"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <button type="submit" className="button button--primary" disabled={isPending}>
        {isPending ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
