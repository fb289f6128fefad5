"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, isApiError } from "@/lib/queries/api";
import { fleetHealthKeys } from "@/lib/queries/fleet-health";
import { siteKeys } from "@/lib/queries/sites";
import { telemetryKeys } from "@/lib/queries/telemetry";
import {
  clearThreshold,
  fetchSiteThresholds,
  setThreshold,
  THRESHOLDS_POLL_MS,
  type ThresholdScope,
  thresholdKeys,
} from "@/lib/queries/thresholds";
import { EffectiveValue, formatLevel, OverrideEditor } from "./threshold-view";

function scopeId(scope: ThresholdScope): string {
  switch (scope.level) {
    case "node":
      return `node:${scope.clusterId}/${scope.node}`;
    case "cluster":
      return `cluster:${scope.clusterId}`;
    case "site":
      return `site:${scope.siteId}`;
    case "kind":
      return `kind:${scope.kind}`;
    case "fleet":
      return "fleet";
  }
}

/** Container: the site's temperature thresholds — effective values with their source, overrides for operators. */
export function SiteThresholdsPanel({ slug, canEdit }: { slug: string; canEdit: boolean }) {
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const data = useQuery({
    queryKey: thresholdKeys.site(slug),
    queryFn: ({ signal }) => fetchSiteThresholds(slug, signal),
    refetchInterval: THRESHOLDS_POLL_MS,
  });
  const refresh = async () => {
    // Health, charts and the site's facts all show the effective level.
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: thresholdKeys.all }),
      queryClient.invalidateQueries({ queryKey: fleetHealthKeys.all }),
      queryClient.invalidateQueries({ queryKey: telemetryKeys.all }),
      queryClient.invalidateQueries({ queryKey: siteKeys.detail(slug) }),
    ]);
  };
  const save = useMutation({
    mutationFn: async ({ scope, celsius }: { scope: ThresholdScope; celsius: number | null }) => {
      if (celsius === null) await clearThreshold(scope);
      else await setThreshold(scope, celsius);
    },
    onMutate: ({ scope }) => setErrors((e) => ({ ...e, [scopeId(scope)]: "" })),
    onSuccess: refresh,
    onError: (err, { scope }) => {
      const text = isApiError(err) && err.issues[0] ? err.issues[0].message : errorMessage(err);
      setErrors((e) => ({ ...e, [scopeId(scope)]: text }));
    },
  });
  const editor = (scope: ThresholdScope, own: number | null, label: string) =>
    canEdit ? (
      <OverrideEditor
        key={`${scopeId(scope)}:${own ?? ""}`}
        label={label}
        own={own}
        isBusy={save.isPending}
        error={errors[scopeId(scope)] || null}
        onSet={(celsius) => save.mutate({ scope, celsius })}
        onClear={() => save.mutate({ scope, celsius: null })}
      />
    ) : own !== null ? (
      formatLevel(own)
    ) : (
      <span className="muted">inherits</span>
    );

  const t = data.data;
  return (
    <section className="card" aria-labelledby="site-thresholds-title" data-testid="site-thresholds">
      <h2 id="site-thresholds-title">Temperature thresholds</h2>
      {!t ? (
        <p className="muted">
          {data.isError ? `Thresholds unavailable: ${errorMessage(data.error)}` : "Loading…"}
        </p>
      ) : (
        <>
          <p className="hint">
            Inherited fleet default → site kind → site → cluster → node; the most specific level wins. Health,
            the hottest nodes, the charts and alerts all use the effective value.
          </p>
          <dl className="facts">
            <dt>This site</dt>
            <dd data-testid="site-threshold">
              <EffectiveValue value={t.effective} viewpoint="site" />
              {t.own ? null : <span className="muted"> (no own value)</span>}
            </dd>
            <dt>Own value</dt>
            <dd>
              {editor(
                { level: "site", siteId: t.siteId },
                t.own?.warnCelsius ?? null,
                "Threshold for this site",
              )}
              {t.own ? null : (
                <span className="hint">
                  Without one the site inherits <EffectiveValue value={t.inherited} viewpoint="site" />.
                </span>
              )}
            </dd>
          </dl>
          {t.nodes.length > 0 ? (
            <div className="table-wrap">
              <table aria-label="Node thresholds">
                <thead>
                  <tr>
                    <th scope="col">Node</th>
                    <th scope="col">Cluster</th>
                    <th scope="col">Effective</th>
                    <th scope="col">Node override</th>
                  </tr>
                </thead>
                <tbody>
                  {t.nodes.map((n) => (
                    <tr key={`${n.clusterId}/${n.node}`} data-testid={`node-threshold-${n.node}`}>
                      <td className="mono">{n.node}</td>
                      <td>{n.clusterName}</td>
                      <td>
                        <EffectiveValue value={n.effective} viewpoint="node" />
                      </td>
                      <td>
                        {editor(
                          { level: "node", clusterId: n.clusterId, node: n.node },
                          n.own?.warnCelsius ?? null,
                          `Threshold for node ${n.node}`,
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p className="muted">
              No nodes seen yet; node overrides appear once the collector has listed them.
            </p>
          )}
        </>
      )}
    </section>
  );
}
