"use client";

import Link from "next/link";
import { memo, useEffect, useMemo, useRef, useState } from "react";
import { STATUS_META, type StatusShape } from "@/components/health/status-meta";
import { numberFormat } from "@/components/ui/format";
import type { SiteStatus } from "@/lib/health/model";
import { SITE_STATUSES } from "@/lib/health/model";
import type { MapPoint } from "@/lib/queries/fleet-health";
import { clusterLabel, clusterPoints, type MapCluster } from "./map-cluster";
import { fitView, graticule, type MapView, panView, ringsPath, zoomView } from "./map-projection";

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

/** Marker size by member count: a city's 40 stores read bigger than a pair, never a blob. */
function clusterRadius(count: number): number {
  return Math.min(26, 11 + 4 * Math.log10(count));
}

/** A ring split by state (worst first), the count inside, worst colour around. */
function ClusterMark({ c }: { c: MapCluster<MapPoint> }) {
  const r = clusterRadius(c.count);
  let start = -Math.PI / 2;
  const arcs = c.byStatus.map((s) => {
    const angle = (2 * Math.PI * s.count) / c.count;
    const end = start + angle;
    const large = angle > Math.PI ? 1 : 0;
    const [x0, y0] = [c.x + r * Math.cos(start), c.y + r * Math.sin(start)];
    const [x1, y1] = [c.x + r * Math.cos(end), c.y + r * Math.sin(end)];
    const d =
      s.count === c.count
        ? `M${c.x} ${c.y - r}a${r} ${r} 0 1 1 0 ${2 * r}a${r} ${r} 0 1 1 0 ${-2 * r}`
        : `M${x0} ${y0}A${r} ${r} 0 ${large} 1 ${x1} ${y1}`;
    start = end;
    return <path key={s.status} d={d} className={`map-cluster-arc map-marker--${s.status}`} />;
  });
  return (
    <>
      <circle cx={c.x} cy={c.y} r={r - 3} className="map-cluster-core" />
      {arcs}
      <text x={c.x} y={c.y} className="map-cluster-count" dominantBaseline="central" textAnchor="middle">
        {c.count >= 1000 ? `${Math.round(c.count / 100) / 10}k` : c.count}
      </text>
    </>
  );
}

const Markers = memo(function Markers({
  clusters,
  total,
  onZoomTo,
}: {
  clusters: MapCluster<MapPoint>[];
  total: number;
  onZoomTo: (c: MapCluster<MapPoint>) => void;
}) {
  const isManyHealthy = total > FOCUSABLE_HEALTHY_MAX;
  return (
    <g>
      {clusters.map((c) => {
        const p = c.single;
        if (p) {
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
              <Marker shape={meta.shape} x={c.x} y={c.y} />
            </Link>
          );
        }
        const label = `${clusterLabel(c, STATUS_LABELS)}. Zoom in`;
        return (
          // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>; it acts as one (role, tab stop, Enter/Space)
          <g
            key={c.key}
            role="button"
            tabIndex={0}
            aria-label={label}
            className={`map-cluster map-marker--${c.worst}`}
            data-testid="map-cluster"
            data-count={c.count}
            data-worst={c.worst}
            onClick={() => onZoomTo(c)}
            onKeyDown={(e) => {
              if (e.key === "Enter" || e.key === " ") {
                e.preventDefault();
                onZoomTo(c);
              }
            }}
          >
            <title>{label}</title>
            <ClusterMark c={c} />
          </g>
        );
      })}
    </g>
  );
});

const STATUS_LABELS = Object.fromEntries(SITE_STATUSES.map((s) => [s, STATUS_META[s].label])) as Record<
  SiteStatus,
  string
>;

/** A cluster opens at least this much closer, even when its sites sit on one spot. */
const MIN_CLUSTER_ZOOM = 2.5;
/** Degrees a cluster's own fit may shrink to (a city block's worth of stores). */
const TIGHT_SPAN = { lon: 0.02, lat: 0.01 };
const BUTTON_ZOOM = 2;

/**
 * Renderer: every located site, coloured and shaped by status, fitted to the
 * fleet's extent. Overlapping markers merge into clusters with counts by state
 * (click one to zoom in); Ctrl/⌘ + wheel or the buttons zoom, dragging pans.
 * A single site opens its page.
 */
export function FleetMap({
  points,
  isOutdated,
  isLoading = false,
}: {
  points: MapPoint[];
  isOutdated: boolean;
  /** the points are still on their way (a large fleet's map is not sent with the page) */
  isLoading?: boolean;
}) {
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
  const fitted = useMemo(() => fitView(points, WIDTH, HEIGHT), [locationKey]);
  // The operator's zoom and pan; null = fitted to the fleet.
  const [own, setOwn] = useState<MapView | null>(null);
  const view = own ?? fitted;
  const land = useMemo(() => (rings ? ringsPath(view, rings) : ""), [rings, view]);
  const lines = useMemo(() => graticule(view), [view]);
  const clusters = useMemo(() => clusterPoints(points, view), [points, view]);

  const svgRef = useRef<SVGSVGElement>(null);
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const wasDragged = useRef(false);
  /** Client pixels → viewBox units. */
  const toView = (clientX: number, clientY: number): [number, number] => {
    const rect = svgRef.current?.getBoundingClientRect();
    if (!rect || rect.width === 0) return [WIDTH / 2, HEIGHT / 2];
    return [((clientX - rect.left) / rect.width) * WIDTH, ((clientY - rect.top) / rect.height) * HEIGHT];
  };
  const zoom = (factor: number, ax = WIDTH / 2, ay = HEIGHT / 2) => setOwn(zoomView(view, factor, ax, ay));
  const zoomTo = (c: MapCluster<MapPoint>) => {
    const corners = [
      { longitude: c.bounds.west, latitude: c.bounds.south },
      { longitude: c.bounds.east, latitude: c.bounds.north },
    ];
    const next = fitView(corners, WIDTH, HEIGHT, TIGHT_SPAN);
    setOwn(next.scale >= view.scale * MIN_CLUSTER_ZOOM ? next : zoomView(view, MIN_CLUSTER_ZOOM, c.x, c.y));
  };

  // Ctrl/⌘ + wheel zooms (a plain wheel keeps scrolling the page); needs a non-passive listener.
  const viewRef = useRef(view);
  viewRef.current = view;
  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      const rect = el.getBoundingClientRect();
      const ax = ((e.clientX - rect.left) / rect.width) * WIDTH;
      const ay = ((e.clientY - rect.top) / rect.height) * HEIGHT;
      setOwn(zoomView(viewRef.current, e.deltaY < 0 ? 1.25 : 0.8, ax, ay));
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, []);

  const counts = new Map<SiteStatus, number>();
  for (const p of points) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
  const clusterCount = clusters.filter((c) => c.single === null).length;
  const shown = clusters.reduce((n, c) => n + c.count, 0);

  return (
    <figure className={`fleet-map${isOutdated ? " is-outdated" : ""}`} data-testid="fleet-map">
      <div className="map-tools">
        <button type="button" className="button button--small" onClick={() => zoom(BUTTON_ZOOM)}>
          Zoom in
        </button>
        <button type="button" className="button button--small" onClick={() => zoom(1 / BUTTON_ZOOM)}>
          Zoom out
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={own === null}
          onClick={() => setOwn(null)}
        >
          Fit all sites
        </button>
        <span className="muted small" aria-live="polite" data-testid="map-shown">
          {isLoading
            ? "Loading the sites…"
            : shown === points.length
              ? `${numberFormat.format(points.length)} sites`
              : `${numberFormat.format(shown)} of ${numberFormat.format(points.length)} sites in view`}
          {clusterCount > 0 ? ` · ${clusterCount} groups (select one to zoom in)` : ""}
        </span>
      </div>
      <svg
        ref={svgRef}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        aria-label={
          isLoading ? "Map (loading the sites)" : `Map of ${numberFormat.format(points.length)} located sites`
        }
        aria-busy={isLoading}
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          drag.current = { x: e.clientX, y: e.clientY, moved: false };
          wasDragged.current = false;
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!d) return;
          const [x0, y0] = toView(d.x, d.y);
          const [x1, y1] = toView(e.clientX, e.clientY);
          if (!d.moved && Math.hypot(x1 - x0, y1 - y0) < 4) return;
          d.moved = true;
          (e.currentTarget as SVGSVGElement).setPointerCapture?.(e.pointerId);
          setOwn(panView(view, x1 - x0, y1 - y0));
          drag.current = { x: e.clientX, y: e.clientY, moved: true };
        }}
        onPointerUp={() => {
          wasDragged.current = drag.current?.moved ?? false;
          drag.current = null;
        }}
        onClickCapture={(e) => {
          // The end of a drag is not a click on whatever is under the pointer.
          if (wasDragged.current) {
            e.preventDefault();
            e.stopPropagation();
          }
        }}
        onDoubleClick={(e) => {
          const [ax, ay] = toView(e.clientX, e.clientY);
          zoom(BUTTON_ZOOM, ax, ay);
        }}
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
        <Markers clusters={clusters} total={points.length} onZoomTo={zoomTo} />
      </svg>
      <figcaption>
        <ul className="map-legend">
          {/* Holds the legend's row while the points load, so the page below does not move when they arrive. */}
          {isLoading ? <li className="muted">Counting sites by state…</li> : null}
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
        <span className="muted">
          Rings: groups of nearby sites, split by state. Outlines: Natural Earth 1:110m. Sites without a
          location are not shown.
        </span>
      </figcaption>
    </figure>
  );
}
