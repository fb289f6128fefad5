"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useDebouncedValue } from "@/components/hooks/use-debounced-value";
import { Notice } from "@/components/ui/notice";
import type { SiteKind } from "@/lib/fleet/kinds";
import { errorMessage } from "@/lib/queries/api";
import {
  type SiteFilters as Filters,
  fetchSitePage,
  SITE_LIST_REFETCH_MS,
  type SitePage,
  siteKeys,
} from "@/lib/queries/sites";
import { SiteFilters } from "./site-filters";
import { SiteTable } from "./site-table";

const SEARCH_DEBOUNCE_MS = 250;

function sameFilters(a: Filters, b: Filters): boolean {
  return a.q.trim() === b.q.trim() && a.kind === b.kind;
}

/** Container: owns the filters and the paged query; the server rendered the first page. */
export function SitesBrowser({
  initialFilters,
  initialPage,
}: {
  initialFilters: Filters;
  initialPage: SitePage;
}) {
  const [q, setQ] = useState(initialFilters.q);
  const [kind, setKind] = useState<SiteKind | "">(initialFilters.kind);
  const debouncedQ = useDebouncedValue(q, SEARCH_DEBOUNCE_MS);
  const filters = useMemo<Filters>(() => ({ q: debouncedQ.trim(), kind }), [debouncedQ, kind]);
  const isInitial = sameFilters(filters, initialFilters);

  const query = useInfiniteQuery({
    queryKey: siteKeys.list(filters),
    queryFn: ({ pageParam, signal }) => fetchSitePage(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    initialData: isInitial ? { pages: [initialPage], pageParams: [null] } : undefined,
    placeholderData: keepPreviousData,
    refetchInterval: SITE_LIST_REFETCH_MS,
  });

  // Keep the address shareable: ?q=…&kind=… mirrors the filters (Next syncs replaceState).
  useEffect(() => {
    const params = new URLSearchParams();
    if (filters.q) params.set("q", filters.q);
    if (filters.kind) params.set("kind", filters.kind);
    const search = params.toString();
    const target = `${window.location.pathname}${search ? `?${search}` : ""}`;
    if (target !== `${window.location.pathname}${window.location.search}`)
      window.history.replaceState(null, "", target);
  }, [filters]);

  const sites = query.data?.pages.flatMap((p) => p.items) ?? [];
  const total = query.data?.pages[0]?.total ?? 0;
  const isFiltered = Boolean(filters.q || filters.kind);

  return (
    <section aria-labelledby="site-list-title">
      <h2 id="site-list-title" className="visually-hidden">
        Site list
      </h2>
      <SiteFilters q={q} kind={kind} onQChange={setQ} onKindChange={setKind} />
      <p className="result-count" aria-live="polite" data-testid="site-count">
        {query.isPending
          ? "Searching…"
          : `Showing ${sites.length} of ${total} ${total === 1 ? "site" : "sites"}${isFiltered ? " matching the filters" : ""}`}
        {query.isFetching && !query.isPending ? " · refreshing…" : ""}
      </p>
      {query.isError ? (
        <Notice tone="danger" title="Could not load sites" role="alert">
          <p>{errorMessage(query.error)}</p>
          <button type="button" className="button" onClick={() => query.refetch()}>
            Try again
          </button>
        </Notice>
      ) : null}
      {sites.length > 0 ? (
        <SiteTable sites={sites} caption="Sites, by name" />
      ) : !query.isPending && !query.isError ? (
        <p className="empty">{isFiltered ? "No site matches these filters." : "No sites yet."}</p>
      ) : null}
      {query.hasNextPage ? (
        <div className="form-actions">
          <button
            type="button"
            className="button"
            onClick={() => query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
          >
            {query.isFetchingNextPage ? "Loading…" : `Load more (${total - sites.length} left)`}
          </button>
        </div>
      ) : null}
    </section>
  );
}
