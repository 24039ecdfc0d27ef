// Server-rendered SVG charts of health history: readable without JavaScript, each with a
// table beside it for screen readers (and anyone who wants the numbers).
import type { HealthState } from "~/lib/health-vocabulary";
import { HEALTH_STATE_LABELS } from "~/lib/health-vocabulary";

export const STATE_COLOURS: Record<HealthState | "none", string> = {
  up: "#12b76a",
  degraded: "#f79009",
  down: "#d92d20",
  maintenance: "#2e90fa",
  paused: "#98a2b3",
  none: "#e4e7ec",
};

export function stateLabel(state: HealthState | null): string {
  return state ? HEALTH_STATE_LABELS[state] : "No data";
}

export function StateBadge({ state }: { state: HealthState | null }) {
  return <span className={`badge health-${state ?? "none"}`}>{stateLabel(state)}</span>;
}

export function formatUptime(percent: number | null): string {
  if (percent === null) return "no data";
  if (percent === 100) return "100%";
  // Never round 99.996% up to 100%: a down minute must stay visible.
  const digits = percent >= 99 ? 3 : 2;
  const factor = 10 ** digits;
  return `${(Math.floor(percent * factor) / factor).toFixed(digits)}%`;
}

export type DayCellView = { day: number; state: HealthState | null; uptime: number | null; counts: { up: number; degraded: number; down: number; maintenance: number } };

// One formatter for every cell: building one per call was a third of the service page's render.
const DAY_FORMAT = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
function dayLabel(day: number): string {
  return DAY_FORMAT.format(day);
}

/** The 90-day bar: one cell per UTC day, coloured by the day's worst state. */
export function DayBar({ cells, label }: { cells: DayCellView[]; label: string }) {
  const width = cells.length * 8;
  const down = cells.filter((cell) => cell.state === "down").length;
  return (
    <figure className="day-bar">
      <svg viewBox={`0 0 ${width} 34`} role="img" aria-label={`${label}: ${cells.length} days, ${down} with downtime`} preserveAspectRatio="none">
        {cells.map((cell, index) => (
          <rect key={cell.day} x={index * 8 + 1} y={1} width={6} height={32} rx={1.5} fill={STATE_COLOURS[cell.state ?? "none"]} data-state={cell.state ?? "none"}>
            <title>{`${dayLabel(cell.day)}: ${stateLabel(cell.state)}${cell.uptime !== null ? `, ${formatUptime(cell.uptime)} up` : ""}`}</title>
          </rect>
        ))}
      </svg>
      <figcaption className="day-bar-axis">
        <span>{cells.length ? dayLabel(cells[0].day) : ""}</span>
        <span>{cells.length ? dayLabel(cells[cells.length - 1].day) : ""}</span>
      </figcaption>
      <details className="chart-table">
        <summary>Show as table</summary>
        <table>
          <caption className="sr-only">{label}, day by day (UTC)</caption>
          <thead>
            <tr>
              <th scope="col">Day (UTC)</th>
              <th scope="col">Worst state</th>
              <th scope="col">Uptime</th>
              <th scope="col">Checks up / degraded / down</th>
            </tr>
          </thead>
          <tbody>
            {cells
              .filter((cell) => cell.state)
              .reverse()
              .map((cell) => (
                <tr key={cell.day}>
                  <td>{dayLabel(cell.day)}</td>
                  <td>{stateLabel(cell.state)}</td>
                  <td>{formatUptime(cell.uptime)}</td>
                  <td>
                    {cell.counts.up} / {cell.counts.degraded} / {cell.counts.down}
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

export type Series = { name: string; points: { at: number; ms: number }[] };
export type Marker = { at: number; label: string; kind: string };
export type BandView = { from: number; to: number; state: HealthState | null };

const WIDTH = 800;
const PAD_LEFT = 60;
const PAD_RIGHT = 12;
const LINE_COLOURS = ["#2451b7", "#7a5af8", "#0e9384", "#c11574", "#b54708"];

function niceMax(value: number): number {
  if (value <= 0) return 100;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms)} ms`;
}

/** Splits a line where checks stop (failed checks have no latency): a gap is not a slope. */
function segments(points: { at: number; ms: number }[]): { at: number; ms: number }[][] {
  if (points.length < 3) return [points];
  const steps = points.slice(1).map((p, i) => p.at - points[i].at).sort((a, b) => a - b);
  const gap = steps[Math.floor(steps.length / 2)] * 3;
  const out: { at: number; ms: number }[][] = [[points[0]]];
  for (let i = 1; i < points.length; i++) {
    if (points[i].at - points[i - 1].at > gap) out.push([]);
    out[out.length - 1].push(points[i]);
  }
  return out;
}

/** Puts each marker label on the first row where it does not run into the previous label. */
function labelRows(xs: number[], widths: number[]): number[] {
  const rowEnds: number[] = [];
  return xs.map((x, i) => {
    let row = rowEnds.findIndex((end) => x > end + 6);
    if (row === -1) row = rowEnds.length;
    rowEnds[row] = x + widths[i];
    return row;
  });
}

/**
 * Latency over time (one line per monitor), with the state bands along the top and
 * vertical markers (started, detected, resolved...). `ticks` are pre-formatted x labels.
 */
export function TimeChart({
  from,
  to,
  series,
  bands = [],
  markers = [],
  ticks,
  label,
}: {
  from: number;
  to: number;
  series: Series[];
  bands?: BandView[];
  markers?: Marker[];
  ticks: { at: number; label: string }[];
  label: string;
}) {
  const span = Math.max(1, to - from);
  const x = (at: number) => PAD_LEFT + ((Math.min(Math.max(at, from), to) - from) / span) * (WIDTH - PAD_LEFT - PAD_RIGHT);
  const sorted = [...markers].sort((a, b) => a.at - b.at);
  const rows = labelRows(sorted.map((m) => x(m.at)), sorted.map((m) => m.label.length * 6.2));
  const labelHeight = sorted.length ? (Math.max(...rows) + 1) * 12 + 2 : 0;
  const bandTop = labelHeight + 2;
  const bandHeight = 14;
  const plotTop = bandTop + bandHeight + 10;
  const plotBottom = plotTop + 110;
  const height = plotBottom + 22;
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.ms))));
  const y = (ms: number) => plotBottom - (ms / max) * (plotBottom - plotTop);
  return (
    <svg className="time-chart" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={label}>
      {bands.map((band) => (
        <rect key={`${band.from}-${band.state}`} x={x(band.from)} y={bandTop} width={Math.max(0.5, x(band.to) - x(band.from))} height={bandHeight} fill={STATE_COLOURS[band.state ?? "none"]} data-state={band.state ?? "none"}>
          <title>{stateLabel(band.state)}</title>
        </rect>
      ))}
      {[0, 0.5, 1].map((fraction) => (
        <g key={fraction}>
          <line x1={PAD_LEFT} x2={WIDTH - PAD_RIGHT} y1={y(max * fraction)} y2={y(max * fraction)} className="grid" />
          <text x={PAD_LEFT - 6} y={y(max * fraction) + 4} textAnchor="end" className="axis">
            {formatMs(max * fraction)}
          </text>
        </g>
      ))}
      {ticks.map((tick) => (
        <text key={tick.at} x={x(tick.at)} y={height - 6} textAnchor="middle" className="axis">
          {tick.label}
        </text>
      ))}
      {series.map((line, index) =>
        segments(line.points).map((segment, part) =>
          segment.length ? (
            <polyline
              key={`${line.name}-${part}`}
              fill="none"
              stroke={LINE_COLOURS[index % LINE_COLOURS.length]}
              strokeWidth={1.5}
              points={segment.map((p) => `${x(p.at).toFixed(1)},${y(p.ms).toFixed(1)}`).join(" ")}
            >
              <title>{`${line.name}: latency`}</title>
            </polyline>
          ) : null,
        ),
      )}
      {sorted.map((marker, index) => (
        <g key={`${marker.kind}-${marker.at}`} className={`marker marker-${marker.kind}`}>
          <line x1={x(marker.at)} x2={x(marker.at)} y1={rows[index] * 12 + 3} y2={plotBottom} />
          <text x={x(marker.at) + 3} y={rows[index] * 12 + 11} className="marker-label">
            {marker.label}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** Evenly spaced x labels for [from, to): whole hours, or whole days for long spans. */
export function timeTicks(from: number, to: number, format: (at: number) => string, count = 6): { at: number; label: string }[] {
  const span = to - from;
  const steps = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].map((m) => m * 60_000);
  const step = steps.find((s) => span / s <= count) ?? steps[steps.length - 1];
  const ticks: { at: number; label: string }[] = [];
  for (let at = Math.ceil(from / step) * step; at < to; at += step) ticks.push({ at, label: format(at) });
  return ticks;
}

/** At most `max` points per line, averaging neighbours: an SVG of 5,000 points draws no better than 600. */
export function downsample<T extends { at: number; ms: number }>(points: T[], max: number): { at: number; ms: number }[] {
  if (points.length <= max) return points.map(({ at, ms }) => ({ at, ms }));
  const size = Math.ceil(points.length / max);
  const out: { at: number; ms: number }[] = [];
  for (let index = 0; index < points.length; index += size) {
    const chunk = points.slice(index, index + size);
    out.push({ at: chunk[0].at, ms: Math.round(chunk.reduce((sum, p) => sum + p.ms, 0) / chunk.length) });
  }
  return out;
}
