"use client";

import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { type ReactNode, useState } from "react";
import { isApiError, shouldRetry } from "@/lib/queries/api";

/** Data from a server render is fresh for this long before react-query refetches it. */
const DEFAULT_STALE_MS = 20_000;

function sendToLoginOn401(err: unknown) {
  if (
    isApiError(err) &&
    err.status === 401 &&
    typeof window !== "undefined" &&
    window.location.pathname !== "/login"
  ) {
    const next = `${window.location.pathname}${window.location.search}`;
    window.location.assign(`/login?next=${encodeURIComponent(next)}`);
  }
}

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: sendToLoginOn401 }),
        mutationCache: new MutationCache({ onError: sendToLoginOn401 }),
        defaultOptions: {
          queries: { staleTime: DEFAULT_STALE_MS, retry: shouldRetry, refetchOnWindowFocus: true },
          mutations: { retry: false },
        },
      }),
  );
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
