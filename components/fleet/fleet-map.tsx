"use client";

import Link from "next/link";
import { memo, useEffect, useMemo, useState } from "react";
import { STATUS_META, type StatusShape } from "@/components/health/status-meta";
import { numberFormat } from "@/components/ui/format";
import type { SiteStatus } from "@/lib/health/model";
import { SITE_STATUSES, STATUS_SEVERITY } from "@/lib/health/model";
import type { MapPoint } from "@/lib/queries/fleet-health";
import { fitView, graticule, type MapView, project, ringsPath } from "./map-projection";

const WIDTH = 800;
const HEIGHT = 620;
/** Above this many sites, healthy markers leave the tab order (the list below is the keyboard path). */
const FOCUSABLE_HEALTHY_MAX = 100;

type Rings = number[][][];

/**
 * Country outlines from Natural Earth (world-atlas, 1:110m), bundled with the
 * app and loaded after first paint: the map needs no tile server and no internet.
 */
async function loadCountryRings(): Promise<Rings> {
  const [{ feature }, atlas] = await Promise.all([
    import("topojson-client"),
    import("world-atlas/countries-110m.json"),
  ]);
  const topology = (atlas.default ?? atlas) as unknown as import("topojson-specification").Topology<{
    countries: import("topojson-specification").GeometryCollection;
  }>;
  const fc = feature(topology, topology.objects.countries);
  const rings: Rings = [];
  for (const f of fc.features) {
    const g = f.geometry;
    if (!g) continue;
    if (g.type === "Polygon") rings.push(...(g.coordinates as Rings));
    else if (g.type === "MultiPolygon") for (const poly of g.coordinates as Rings[]) rings.push(...poly);
  }
  return rings;
}

function Marker({ shape, x, y, s = 9 }: { shape: StatusShape; x: number; y: number; s?: number }) {
  switch (shape) {
    case "diamond":
      return <polygon points={`${x},${y - s - 2} ${x + s + 2},${y} ${x},${y + s + 2} ${x - s - 2},${y}`} />;
    case "square":
      return <rect x={x - s} y={y - s} width={2 * s} height={2 * s} />;
    case "triangle":
      return <polygon points={`${x},${y - s - 1} ${x + s + 1},${y + s} ${x - s - 1},${y + s}`} />;
    case "ring":
      return <circle cx={x} cy={y} r={s - 1} className="marker-outline" strokeDasharray="3 2" />;
    case "hollow-square":
      return (
        <rect x={x - s + 1} y={y - s + 1} width={2 * s - 2} height={2 * s - 2} className="marker-outline" />
      );
    case "moon":
      return (
        <path d={`M${x + 2} ${y - s}a${s} ${s} 0 1 0 0 ${2 * s}a${s - 1.5} ${s - 1.5} 0 1 1 0 ${-2 * s}z`} />
      );
    default:
      return <circle cx={x} cy={y} r={s - 2} />;
  }
}

const Markers = memo(function Markers({ points, view }: { points: MapPoint[]; view: MapView }) {
  // Worst on top: SVG paints in document order.
  const ordered = useMemo(
    () => [...points].sort((a, b) => STATUS_SEVERITY[a.status] - STATUS_SEVERITY[b.status]),
    [points],
  );
  const isManyHealthy = points.length > FOCUSABLE_HEALTHY_MAX;
  return (
    <g>
      {ordered.map((p) => {
        const [x, y] = project(view, p.longitude, p.latitude);
        const meta = STATUS_META[p.status];
        const label = `${p.name}: ${meta.label}`;
        return (
          <Link
            key={p.id}
            href={`/sites/${p.slug}`}
            className={`map-marker map-marker--${p.status}`}
            aria-label={label}
            data-testid={`map-point-${p.slug}`}
            data-status={p.status}
            tabIndex={isManyHealthy && p.status === "healthy" ? -1 : undefined}
          >
            <title>{label}</title>
            <Marker shape={meta.shape} x={x} y={y} />
          </Link>
        );
      })}
    </g>
  );
});

/** Renderer: every located site, coloured and shaped by status; a point opens its site. */
export function FleetMap({ points, isOutdated }: { points: MapPoint[]; isOutdated: boolean }) {
  const [rings, setRings] = useState<Rings | null>(null);
  useEffect(() => {
    let isCurrent = true;
    loadCountryRings()
      .then((r) => {
        if (isCurrent) setRings(r);
      })
      .catch(() => {
        // The graticule alone still places the sites.
      });
    return () => {
      isCurrent = false;
    };
  }, []);

  // Refit only when the set of locations changes, not on every status change.
  const locationKey = points.map((p) => `${p.longitude},${p.latitude}`).join(";");
  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed on locations on purpose
  const view = useMemo(() => fitView(points, WIDTH, HEIGHT), [locationKey]);
  const land = useMemo(() => (rings ? ringsPath(view, rings) : ""), [rings, view]);
  const lines = useMemo(() => graticule(view), [view]);

  const counts = new Map<SiteStatus, number>();
  for (const p of points) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);

  return (
    <figure className={`fleet-map${isOutdated ? " is-outdated" : ""}`} data-testid="fleet-map">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        aria-label={`Map of ${numberFormat.format(points.length)} located sites`}
      >
        <rect className="map-sea" x={0} y={0} width={WIDTH} height={HEIGHT} />
        {land ? <path className="map-land" d={land} /> : null}
        {/* biome-ignore lint/a11y/noAriaHiddenOnFocusable: a <g> of lines and degree labels is not focusable */}
        <g className="map-graticule" aria-hidden="true">
          {lines.map((l) => (
            <path key={l.key} d={l.d} />
          ))}
          {lines.map((l) => (
            <text key={`${l.key}-t`} x={l.x} y={l.y}>
              {l.label}
            </text>
          ))}
        </g>
        <Markers points={points} view={view} />
      </svg>
      <figcaption>
        <ul className="map-legend">
          {SITE_STATUSES.filter((s) => (counts.get(s) ?? 0) > 0).map((s) => (
            <li key={s}>
              <svg
                viewBox="-9 -9 18 18"
                width="18"
                height="18"
                aria-hidden="true"
                className={`map-marker--${s}`}
              >
                <Marker shape={STATUS_META[s].shape} x={0} y={0} />
              </svg>
              {STATUS_META[s].label} ({numberFormat.format(counts.get(s) ?? 0)})
            </li>
          ))}
        </ul>
        <span className="muted">Outlines: Natural Earth 1:110m. Sites without a location are not shown.</span>
      </figcaption>
    </figure>
  );
}
