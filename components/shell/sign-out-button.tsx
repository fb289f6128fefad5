"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { logout } from "@/lib/queries/session";

export function SignOutButton() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const [isPending, setIsPending] = useState(false);

  async function signOut() {
    setIsPending(true);
    try {
      await logout();
    } catch {
      // Even if the server call fails, leave: the cookie is httpOnly and expires on its own.
    }
    queryClient.clear();
    router.replace("/login");
    router.refresh();
  }

  return (
    <button type="button" className="button button--small" onClick={signOut} disabled={isPending}>
      {isPending ? "Signing out…" : "Sign out"}
    </button>
  );
}
