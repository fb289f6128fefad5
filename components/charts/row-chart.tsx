"use client";

import { useId } from "react";
import type { TimeTick } from "./time-axis";

// The frame shared by the charts that draw one row per node (heatmap, state
// timeline): title with actions, the node names as a list (buttons when rows
// can be selected), the plot beside them and a time axis under it.

export const ROW_LABEL_WIDTH = 128;

export interface RowLabel {
  id: string;
  label: string;
  /** a marker before the name ("▲" hot, "■" down) and what it says to a screen reader */
  mark?: { icon: string; text: string };
  /** data-* attributes the tests and benchmarks read (data-row is set for you) */
  data?: Record<string, string | number | boolean>;
}

export interface RowChartProps {
  title: string;
  description?: string;
  actions?: React.ReactNode;
  testId?: string;
  className: string;
  rows: readonly RowLabel[];
  rowHeight: number;
  /** what selecting a row does, for the list's name ("draw their lines") */
  selectPurpose: string;
  /** testid of each row's <li> */
  rowTestId: string;
  selected?: ReadonlySet<string>;
  onToggleRow?: (id: string) => void;
  maxSelected?: number;
  ticks: readonly TimeTick[];
  plot: React.ReactNode;
  /** legend, text alternative… under the axis */
  children?: React.ReactNode;
}

export function RowChart({
  title,
  description,
  actions,
  testId,
  className,
  rows,
  rowHeight,
  selectPurpose,
  rowTestId,
  selected,
  onToggleRow,
  maxSelected = Number.POSITIVE_INFINITY,
  ticks,
  plot,
  children,
}: RowChartProps) {
  const uid = useId();
  const chosen = selected ?? new Set<string>();
  const isFull = chosen.size >= maxSelected;
  return (
    <figure className={className} aria-labelledby={`${uid}-title`} data-testid={testId} style={{ margin: 0 }}>
      <figcaption>
        <div className="chart-head">
          <h3 id={`${uid}-title`}>{title}</h3>
          {actions}
        </div>
        {description ? <p className="hint">{description}</p> : null}
      </figcaption>
      <div className="heatmap-body" style={{ gridTemplateColumns: `${ROW_LABEL_WIDTH}px minmax(0, 1fr)` }}>
        <ul
          className="heatmap-rows"
          aria-label={onToggleRow ? `Nodes (select to ${selectPurpose})` : "Nodes"}
        >
          {rows.map((row) => {
            const isSelected = chosen.has(row.id);
            const data = Object.fromEntries(
              Object.entries(row.data ?? {}).map(([k, v]) => [`data-${k}`, String(v)]),
            );
            const content = (
              <>
                {row.mark ? (
                  <>
                    <span aria-hidden="true">{row.mark.icon} </span>
                    <span className="visually-hidden">{row.mark.text}: </span>
                  </>
                ) : null}
                {row.label}
              </>
            );
            return (
              <li
                key={row.id}
                style={{ height: rowHeight }}
                data-testid={rowTestId}
                data-row={row.id}
                {...data}
              >
                {onToggleRow ? (
                  <button
                    type="button"
                    className="heatmap-label"
                    aria-pressed={isSelected}
                    disabled={!isSelected && isFull}
                    title={isFull && !isSelected ? `At most ${maxSelected} at once` : row.label}
                    onClick={() => onToggleRow(row.id)}
                  >
                    {content}
                  </button>
                ) : (
                  <span className="heatmap-label">{content}</span>
                )}
              </li>
            );
          })}
        </ul>
        {plot}
        <div />
        <div className="heatmap-axis" aria-hidden="true">
          {ticks.map((t) => (
            <span key={t.t} style={{ left: `${t.x * 100}%` }}>
              {t.label}
            </span>
          ))}
        </div>
      </div>
      {children}
    </figure>
  );
}
