// A service's health page body: state, uptime, the 90-day bar, latency, state changes,
// monitors and the incidents that touched it. Pure (no Remix hooks), so it renders anywhere.
import type { ReactNode } from "react";

import { LATENCY_RANGES, MONITOR_TYPE_LABELS, type LatencyRange, type HealthState, type MonitorMode, type MonitorType, type StateChangeSource } from "~/lib/health-vocabulary";
import { formatInstant } from "~/lib/time";

import { DayBar, StateBadge, TimeChart, downsample, formatUptime, stateLabel, timeTicks, type DayCellView } from "./charts";

const ZONE = "UTC";

export type ServiceDetailData = {
  id: number;
  name: string;
  description: string;
  example: boolean;
  state: HealthState | null;
  uptime: { "24h": number | null; "30d": number | null; "90d": number | null };
  uptime7d: number | null;
  uptimeYear: number | null;
  bar: DayCellView[];
  latencyRange: string;
  latency: { at: number; latencyAvgMs: number | null; latencyMaxMs: number | null }[];
  changes: { id: number; at: number; monitorName: string; from: HealthState | null; to: HealthState; source: StateChangeSource; message: string }[];
  monitors: {
    id: number;
    name: string;
    type: MonitorType;
    mode: MonitorMode;
    state: HealthState | null;
    /** The state now: null when its last check is too old to say (checks off, example data). */
    currentState: HealthState | null;
    intervalSeconds: number;
    retries: number;
    timeoutMs: number;
    degradedMs: number | null;
    url: string | null;
    method: string | null;
    acceptedStatus: string | null;
    bodyContains: string | null;
    jsonPath: string | null;
    jsonExpected: string | null;
    host: string | null;
    port: number | null;
    graceSeconds: number | null;
    pushTokenPrefix: string | null;
    alertName: string | null;
    lastCheckAt: number | null;
    lastLatencyMs: number | null;
    lastMessage: string | null;
    example: boolean;
  }[];
  incidents: { id: number; title: string; severity: string; status: string; startedAt: number | null; timeZone: string }[];
  until: number;
  latestData: number | null;
};


function monitorTarget(monitor: ServiceDetailData["monitors"][number]): string {
  switch (monitor.type) {
    case "http":
      return `${monitor.method ?? "GET"} ${monitor.url} · accepts ${monitor.acceptedStatus}${monitor.bodyContains ? ` · body contains "${monitor.bodyContains}"` : ""}${monitor.jsonPath ? ` · ${monitor.jsonPath}${monitor.jsonExpected != null ? ` = ${monitor.jsonExpected}` : ""}` : ""}`;
    case "tcp":
      return `${monitor.host}:${monitor.port}`;
    case "push":
      return `POST /api/push/${monitor.pushTokenPrefix ?? "hp_"}… · grace ${monitor.graceSeconds ?? 0} s`;
    case "alert":
      return `alertname="${monitor.alertName}"`;
  }
}

export function ServiceDetail({ page, monitorControls, rangeHref }: { page: ServiceDetailData; monitorControls?: (monitorId: number) => ReactNode; rangeHref?: (range: string) => string }) {
  const to = page.until;
  const from = to - (LATENCY_RANGES[page.latencyRange as LatencyRange] ?? LATENCY_RANGES["24h"]).ms;
  const series = [
    { name: "Average latency", points: downsample(page.latency.filter((b) => b.latencyAvgMs != null).map((b) => ({ at: b.at, ms: b.latencyAvgMs! })), 600) },
  ];
  const ticks = timeTicks(from, to, (at) => (to - from > 2 * 86_400_000 ? formatInstant(at, ZONE).replace(/, .*$/, "") : formatInstant(at, ZONE).replace(/^.*, /, "").replace(/ UTC$/, "")));
  const href = rangeHref ?? ((range: string) => `?range=${range}`);
  return (
    <>
      <section className="card" aria-labelledby="uptime-heading">
        <div className="section-head">
          <h2 id="uptime-heading">Health</h2>
          <StateBadge state={page.state} />
        </div>
        {page.latestData !== null ? (
          <p className="notice">
            Nothing was checked in the 90 days up to {formatInstant(page.until, ZONE)}. The latest recorded change was on {formatInstant(page.latestData, ZONE)}:{" "}
            <a href={`?until=${new Date(page.latestData).toISOString().slice(0, 10)}`}>show the 90 days up to then</a>.
          </p>
        ) : null}
        <dl className="uptime-stats">
          {(
            [
              ["24 hours", page.uptime["24h"]],
              ["7 days", page.uptime7d],
              ["30 days", page.uptime["30d"]],
              ["90 days", page.uptime["90d"]],
              ["1 year", page.uptimeYear],
            ] as const
          ).map(([label, value]) => (
            <div key={label}>
              <dt>Uptime, {label}</dt>
              <dd data-testid={`uptime-${label.replace(" ", "")}`}>{formatUptime(value)}</dd>
            </div>
          ))}
        </dl>
        <DayBar cells={page.bar} label={`${page.name}, last 90 days`} />
      </section>

      <section className="card" aria-labelledby="latency-heading">
        <div className="section-head">
          <h2 id="latency-heading">Latency</h2>
          <nav aria-label="Latency period" className="range-links">
            {Object.entries(LATENCY_RANGES).map(([key, { label }]) => (
              <a key={key} href={href(key)} aria-current={page.latencyRange === key ? "true" : undefined}>
                {label}
              </a>
            ))}
          </nav>
        </div>
        {series[0].points.length ? (
          <>
            <TimeChart from={from} to={to} series={series} ticks={ticks} label={`Average latency of ${page.name} over the last ${page.latencyRange}`} />
            <details className="chart-table">
              <summary>Show as table</summary>
              <table>
                <caption className="sr-only">Latency per period (UTC)</caption>
                <thead>
                  <tr>
                    <th scope="col">From (UTC)</th>
                    <th scope="col">Average</th>
                    <th scope="col">Slowest</th>
                  </tr>
                </thead>
                <tbody>
                  {page.latency
                    .filter((b) => b.latencyAvgMs != null)
                    .slice(-200)
                    .reverse()
                    .map((b) => (
                      <tr key={b.at}>
                        <td>{formatInstant(b.at, ZONE)}</td>
                        <td>{Math.round(b.latencyAvgMs!)} ms</td>
                        <td>{b.latencyMaxMs ?? "–"} ms</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </details>
          </>
        ) : (
          <p className="empty">No latency measured in this period.</p>
        )}
      </section>

      <section className="card" aria-labelledby="changes-heading">
        <h2 id="changes-heading">State changes</h2>
        {page.changes.length ? (
          <table className="state-log">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Monitor</th>
                <th scope="col">Change</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {page.changes.map((change) => (
                <tr key={change.id}>
                  <td>{formatInstant(change.at, ZONE)}</td>
                  <td>{change.monitorName}</td>
                  <td>
                    {stateLabel(change.from)} → <StateBadge state={change.to} /> <span className="hint">({change.source})</span>
                  </td>
                  <td>{change.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="empty">No state changes in the last 90 days.</p>
        )}
      </section>

      <section className="card" aria-labelledby="monitors-heading">
        <h2 id="monitors-heading">Monitors</h2>
        {page.monitors.length ? (
          <ul className="monitors">
            {page.monitors.map((monitor) => (
              <li key={monitor.id} id={`monitor-${monitor.id}`}>
                <div className="monitor-head">
                  <strong>{monitor.name}</strong> <StateBadge state={monitor.currentState} />{" "}
                  <span className="badge">{MONITOR_TYPE_LABELS[monitor.type]}</span>
                  {monitor.example ? <span className="badge example">Example data</span> : null}
                </div>
                <p className="hint">
                  {monitorTarget(monitor)}
                  {monitor.type !== "alert" ? ` · every ${monitor.intervalSeconds} s · down after ${monitor.retries} failed in a row · timeout ${monitor.timeoutMs} ms` : ""}
                  {monitor.degradedMs != null ? ` · degraded above ${monitor.degradedMs} ms` : ""}
                </p>
                {monitor.lastCheckAt !== null ? (
                  <p className="hint">
                    Last: {formatInstant(monitor.lastCheckAt, ZONE)}
                    {monitor.lastLatencyMs !== null ? `, ${monitor.lastLatencyMs} ms` : ""}
                    {monitor.lastMessage ? `, ${monitor.lastMessage}` : ""}
                  </p>
                ) : null}
                {monitorControls?.(monitor.id)}
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">No monitors yet.</p>
        )}
      </section>

      <section className="card" aria-labelledby="incidents-heading">
        <h2 id="incidents-heading">Incidents that touched {page.name}</h2>
        {page.incidents.length ? (
          <ul>
            {page.incidents.map((incident) => (
              <li key={incident.id}>
                <a href={`/incidents/${incident.id}`}>{incident.title}</a> <span className={`badge severity-${incident.severity.toLowerCase()}`}>{incident.severity}</span>
                {incident.startedAt !== null ? <span className="hint"> · {formatInstant(incident.startedAt, incident.timeZone)}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">No incident names this service.</p>
        )}
      </section>
    </>
  );
}
