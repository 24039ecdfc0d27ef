// The Insights page below its date form: server-rendered SVG charts, each with a table view
// for screen readers, and the figures with what they leave out. Pure (no Remix hooks, plain
// <a> links), so it renders the same from a loader, a test or a benchmark's renderToString.
import type { ReactNode } from "react";

import { formatDuration } from "~/lib/time";
import { SEVERITIES, SEVERITY_LABELS, type Severity } from "~/lib/vocabulary";
import type { BreakdownRow, InsightsData } from "~/review/insights.server";
import { countedWording, describeLeftOut, type DurationSummary, type ImpactSummary } from "~/review/metrics";

const SEVERITY_COLOURS: Record<Severity, string> = { SEV1: "#b42318", SEV2: "#f79009", SEV3: "#2e90fa", SEV4: "#98a2b3" };
const ACTION_COLOURS = { opened: "#2451b7", closed: "#12b76a", overdue: "#d92d20" };

const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const PERCENT = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 0 });

function formatMinutes(minutes: number): string {
  return NUMBER.format(minutes);
}

function incidentsLink(filters: Record<string, string>): string {
  return `/incidents?${new URLSearchParams(filters)}`;
}

// ---------------------------------------------------------------------------
// Bar chart: stacked (severities) or side by side (actions opened / closed / overdue)

type BarSeries = { name: string; colour: string; values: number[] };

const WIDTH = 800;
const PAD_LEFT = 36;
const PAD_RIGHT = 8;
const PLOT_TOP = 8;
const PLOT_BOTTOM = 168;
const HEIGHT = 204;

/** A round top for the y axis whose half is a whole number too (4, 6, 8, 10, 20, 40...). */
function axisMax(value: number): number {
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 4, 6, 8, 10]) if (value <= step * magnitude && (step * magnitude) % 2 === 0) return step * magnitude;
  return 10 * magnitude;
}

function BarChart({ label, groups, series, stacked }: { label: string; groups: { label: string }[]; series: BarSeries[]; stacked: boolean }) {
  const totals = groups.map((_, index) => series.reduce((sum, s) => sum + s.values[index], 0));
  const highest = stacked ? Math.max(0, ...totals) : Math.max(0, ...series.flatMap((s) => s.values));
  const max = axisMax(highest);
  const slot = (WIDTH - PAD_LEFT - PAD_RIGHT) / Math.max(1, groups.length);
  const y = (value: number) => PLOT_BOTTOM - (value / max) * (PLOT_BOTTOM - PLOT_TOP);
  const every = Math.ceil(groups.length / 24);
  const bars: ReactNode[] = [];
  groups.forEach((group, index) => {
    const left = PAD_LEFT + index * slot;
    if (stacked) {
      let base = 0;
      const width = slot * 0.7;
      for (const s of series) {
        const value = s.values[index];
        if (value > 0) {
          bars.push(
            <rect key={`${index}-${s.name}`} x={left + (slot - width) / 2} y={y(base + value)} width={width} height={y(base) - y(base + value)} fill={s.colour}>
              <title>{`${group.label}: ${value} ${s.name}`}</title>
            </rect>,
          );
        }
        base += value;
      }
    } else {
      const width = (slot * 0.8) / series.length;
      series.forEach((s, part) => {
        const value = s.values[index];
        if (value > 0) {
          bars.push(
            <rect key={`${index}-${s.name}`} x={left + slot * 0.1 + part * width} y={y(value)} width={width} height={PLOT_BOTTOM - y(value)} fill={s.colour}>
              <title>{`${group.label}: ${value} ${s.name}`}</title>
            </rect>,
          );
        }
      });
    }
  });
  return (
    <svg className="bar-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label}>
      {[0, max / 2, max].map((tick) => (
        <g key={tick}>
          <line x1={PAD_LEFT} x2={WIDTH - PAD_RIGHT} y1={y(tick)} y2={y(tick)} className="grid" />
          <text x={PAD_LEFT - 6} y={y(tick) + 4} textAnchor="end" className="axis">
            {tick}
          </text>
        </g>
      ))}
      {bars}
      {groups.map((group, index) =>
        index % every === 0 ? (
          <text key={group.label} x={PAD_LEFT + index * slot + slot / 2} y={PLOT_BOTTOM + 16} textAnchor="middle" className="axis">
            {group.label.slice(0, 3)}
            {index === 0 || group.label.startsWith("Jan") ? <tspan x={PAD_LEFT + index * slot + slot / 2} dy={13}>{group.label.slice(4)}</tspan> : null}
          </text>
        ) : null,
      )}
    </svg>
  );
}

function Legend({ series }: { series: { name: string; colour: string }[] }) {
  return (
    <ul className="chart-legend" aria-hidden="true">
      {series.map((s) => (
        <li key={s.name}>
          {/* An SVG swatch, not a styled span: the Content-Security-Policy allows no inline styles. */}
          <svg className="swatch" viewBox="0 0 12 12" width="12" height="12">
            <rect width="12" height="12" rx="2" fill={s.colour} />
          </svg>
          {s.name}
        </li>
      ))}
    </ul>
  );
}

function TableView({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <details className="chart-table">
      <summary>Show as table</summary>
      <table>
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </details>
  );
}

// ---------------------------------------------------------------------------
// Figures

function Duration({ ms }: { ms: number | null }) {
  return <>{ms === null ? "no data" : formatDuration(ms)}</>;
}

function DurationFigure({ title, summary, testId }: { title: string; summary: DurationSummary; testId: string }) {
  return (
    <div className="insight-figure" data-testid={testId}>
      <h3>{title}</h3>
      <dl>
        <div>
          <dt>Median</dt>
          <dd>
            <Duration ms={summary.median} />
          </dd>
        </div>
        <div>
          <dt>90th percentile</dt>
          <dd>
            <Duration ms={summary.p90} />
          </dd>
        </div>
      </dl>
      <p className="hint">{countedWording(summary)}</p>
    </div>
  );
}

/** "184.5", or "184.5 (2 unknown: …)" when some incidents could not be counted. */
function ImpactCell({ impact }: { impact: ImpactSummary }) {
  if (impact.counted === 0 && impact.leftOut > 0) return <span title={describeLeftOut(impact.leftOutReasons)}>unknown</span>;
  return (
    <>
      {formatMinutes(impact.minutes)}
      {impact.leftOut ? <span className="hint"> ({impact.leftOut} not counted: {describeLeftOut(impact.leftOutReasons)})</span> : null}
    </>
  );
}

function MedianCell({ summary }: { summary: DurationSummary }) {
  if (summary.median === null) return <span className="hint">{summary.leftOut ? "none resolved" : "—"}</span>;
  return (
    <>
      {formatDuration(summary.median)}
      <span className="hint"> (of {summary.counted})</span>
    </>
  );
}

function BreakdownTable({ caption, heading, rows, emptyName, link }: { caption: string; heading: string; rows: BreakdownRow[]; emptyName: string; link?: (name: string) => string }) {
  if (rows.length === 0) return <p className="empty">No incidents in this range.</p>;
  return (
    <table className="insight-breakdown">
      <caption className="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{heading}</th>
          <th scope="col">Incidents</th>
          <th scope="col">Customer-impact minutes</th>
          <th scope="col">Median time to resolve</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name ?? ""} data-testid="breakdown-row">
            <th scope="row">{row.name === null ? <em>{emptyName}</em> : link ? <a href={link(row.name)}>{row.name}</a> : row.name}</th>
            <td>{row.count}</td>
            <td>
              <ImpactCell impact={row.impact} />
            </td>
            <td>
              <MedianCell summary={row.timeToResolve} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// ---------------------------------------------------------------------------

export function InsightsView({ data }: { data: InsightsData }) {
  const { range, months, actions } = data;
  const span = `${months[0]?.label ?? range.from} to ${months[months.length - 1]?.label ?? range.to}`;
  const severitySeries = SEVERITIES.map((severity) => ({ name: severity, colour: SEVERITY_COLOURS[severity], values: months.map((m) => m.bySeverity[severity]) }));
  const actionSeries = [
    { name: "opened", colour: ACTION_COLOURS.opened, values: actions.months.map((m) => m.opened) },
    { name: "closed", colour: ACTION_COLOURS.closed, values: actions.months.map((m) => m.closed) },
    { name: "overdue", colour: ACTION_COLOURS.overdue, values: actions.months.map((m) => m.overdue) },
  ];
  const inRange = { from: range.from, to: range.to };
  return (
    <div className="insights">
      <section className="card" aria-labelledby="insights-incidents-heading">
        <h2 id="insights-incidents-heading">Incidents per month</h2>
        <p className="hint" data-testid="incident-total">
          {data.incidents.total === 1 ? "1 incident" : `${data.incidents.total} incidents`} started from {range.from} to {range.to} (UTC days).{" "}
          {data.incidents.withoutStart ? `${data.incidents.withoutStart} with no start time are placed by when they were recorded. ` : ""}
          <a href={incidentsLink(inRange)}>List them</a>
        </p>
        <figure className="insight-chart">
          <BarChart label={`Incidents per month by severity, ${span}: ${data.incidents.total} in all`} groups={months} series={severitySeries} stacked />
          <Legend series={severitySeries} />
          <TableView caption={`Incidents per month by severity, ${span}`}>
            <thead>
              <tr>
                <th scope="col">Month</th>
                {SEVERITIES.map((severity) => (
                  <th scope="col" key={severity} title={SEVERITY_LABELS[severity]}>
                    {severity}
                  </th>
                ))}
                <th scope="col">Total</th>
                <th scope="col">Customer-impact minutes</th>
                <th scope="col">Median time to resolve</th>
              </tr>
            </thead>
            <tbody>
              {months.map((month) => (
                <tr key={month.month} data-testid="month-row">
                  <th scope="row">
                    <a href={incidentsLink({ from: month.from, to: month.to })}>{month.label}</a>
                  </th>
                  {SEVERITIES.map((severity) => (
                    <td key={severity}>
                      {month.bySeverity[severity] ? <a href={incidentsLink({ from: month.from, to: month.to, severity })}>{month.bySeverity[severity]}</a> : 0}
                    </td>
                  ))}
                  <td>{month.total}</td>
                  <td>{month.total ? <ImpactCell impact={month.impact} /> : "0"}</td>
                  <td>
                    <MedianCell summary={month.timeToResolve} />
                  </td>
                </tr>
              ))}
            </tbody>
          </TableView>
        </figure>
      </section>

      <section className="card" aria-labelledby="insights-speed-heading">
        <h2 id="insights-speed-heading">Detection, resolution and impact</h2>
        <div className="insight-figures">
          <DurationFigure title="Time to detect" summary={data.timeToDetect} testId="time-to-detect" />
          <DurationFigure title="Time to resolve" summary={data.timeToResolve} testId="time-to-resolve" />
          <div className="insight-figure" data-testid="customer-impact">
            <h3>Customer-impact minutes</h3>
            <dl>
              <div>
                <dt>Total</dt>
                <dd>{data.impact.counted === 0 && data.impact.leftOut > 0 ? "unknown" : formatMinutes(data.impact.minutes)}</dd>
              </div>
            </dl>
            <p className="hint">{countedWording(data.impact)}</p>
          </div>
        </div>
        <p className="hint">
          Time to detect runs from the start to detection, time to resolve from the start to resolution; medians and 90th percentiles
          interpolate between the nearest incidents. Customer-impact minutes are each incident&apos;s minutes from start to resolution × the
          share of users affected. An incident missing a time (or with its end before its start) is left out of that figure, never counted as
          zero.
        </p>
      </section>

      <section className="card" aria-labelledby="insights-services-heading">
        <h2 id="insights-services-heading">By service</h2>
        <p className="hint">An incident that touched several services counts under each.</p>
        <BreakdownTable
          caption="Incidents by service"
          heading="Service"
          rows={data.byService}
          emptyName="no service named"
          link={(service) => incidentsLink({ ...inRange, service })}
        />
      </section>

      <section className="card" aria-labelledby="insights-categories-heading">
        <h2 id="insights-categories-heading">By cause category</h2>
        <BreakdownTable
          caption="Incidents by cause category"
          heading="Category"
          rows={data.byCategory}
          emptyName="uncategorised"
          link={(category) => incidentsLink({ ...inRange, category })}
        />
      </section>

      <section className="card" aria-labelledby="insights-actions-heading">
        <h2 id="insights-actions-heading">Corrective actions</h2>
        <dl className="insight-stats" data-testid="action-stats">
          <div>
            <dt>Opened</dt>
            <dd>{actions.opened}</dd>
          </div>
          <div>
            <dt>Closed (done)</dt>
            <dd>{actions.closed}</dd>
          </div>
          <div>
            <dt>Overdue now</dt>
            <dd>{actions.overdue}</dd>
          </div>
          <div>
            <dt>Median days to close</dt>
            <dd>{actions.daysToClose.median === null ? "no data" : `${NUMBER.format(actions.daysToClose.median)} days`}</dd>
          </div>
          <div>
            <dt>Incidents with every action done or won&apos;t do</dt>
            <dd>
              {actions.shareAllClosed === null
                ? "no incident has actions"
                : `${actions.incidentsAllClosed} of ${actions.incidentsWithActions} (${PERCENT.format(actions.shareAllClosed)})`}
            </dd>
          </div>
          <div>
            <dt>Incidents with no corrective action</dt>
            <dd>{actions.incidentsWithoutActions}</dd>
          </div>
        </dl>
        <p className="hint">
          Each action counts in the month it was opened, closed (done) or is due, whichever incident it belongs to. Overdue: still open or in
          progress and due before today ({data.today}). Median days to close: from opened to done, over the {actions.daysToClose.counted} closed in
          this range
          {actions.daysToClose.leftOut ? ` (${actions.daysToClose.leftOut} left out: ${describeLeftOut(actions.daysToClose.leftOutReasons)})` : ""};
          {actions.pendingActions === 1
            ? " the 1 action of this range's incidents still open or in progress is not in it."
            : ` the ${actions.pendingActions} actions of this range's incidents still open or in progress are not in it.`}
        </p>
        <figure className="insight-chart">
          <BarChart label={`Corrective actions opened, closed and overdue per month, ${span}`} groups={actions.months} series={actionSeries} stacked={false} />
          <Legend series={actionSeries} />
          <TableView caption={`Corrective actions per month, ${span}`}>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">Opened</th>
                <th scope="col">Closed</th>
                <th scope="col">Overdue</th>
              </tr>
            </thead>
            <tbody>
              {actions.months.map((month) => (
                <tr key={month.month} data-testid="action-month-row">
                  <th scope="row">{month.label}</th>
                  <td>{month.opened}</td>
                  <td>{month.closed}</td>
                  <td>{month.overdue}</td>
                </tr>
              ))}
            </tbody>
          </TableView>
        </figure>
      </section>
    </div>
  );
}
