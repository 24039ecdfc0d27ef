// An incident's health windows: for each affected service, what its monitors saw from 2 h
// before the start to 2 h after resolution, with markers at started / detected / resolved.
import type { ReactNode } from "react";

import type { HealthState, StateChangeSource } from "~/lib/health-vocabulary";
import { monitorLeadPhrase } from "~/lib/monitor-lead";
import { formatInstant, formatTime } from "~/lib/time";

import { StateBadge, TimeChart, downsample, stateLabel, timeTicks, type Marker } from "./charts";

export type HealthWindowView = {
  serviceId: number;
  serviceName: string;
  example: boolean;
  from: number;
  to: number;
  resolution: string;
  monitors: { id: number; name: string }[];
  bands: { from: number; to: number; state: HealthState | null }[];
  latency: { at: number; ms: number; monitorId: number }[];
  changes: { id: number; at: number; monitorName: string; from: HealthState | null; to: HealthState; source: StateChangeSource; message: string }[];
  firstFailure: { at: number; monitorName: string; message: string } | null;
  capturedAt: number | null;
};

export type IncidentTimes = { startedAt: number | null; detectedAt: number | null; mitigatedAt: number | null; resolvedAt: number | null; timeZone: string };

/** "Monitors saw it 12 minutes before it was detected" (or after, or at the same minute). */
export function leadSentence(firstFailureAt: number | null, detectedAt: number | null): string | null {
  if (firstFailureAt === null) return null;
  const phrase = monitorLeadPhrase(firstFailureAt, detectedAt);
  return phrase ? `Monitors saw it ${phrase}.` : "No detection time is recorded, so how long it took a person to notice is unknown.";
}

export function IncidentHealth({ windows, incident, children }: { windows: HealthWindowView[]; incident: IncidentTimes; children?: ReactNode }) {
  const zone = incident.timeZone;
  const markers: Marker[] = (
    [
      [incident.startedAt, "Started", "started"],
      [incident.detectedAt, "Detected", "detected"],
      [incident.mitigatedAt, "Mitigated", "mitigated"],
      [incident.resolvedAt, "Resolved", "resolved"],
    ] as const
  )
    .filter(([at]) => at !== null)
    .map(([at, label, kind]) => ({ at: at!, label, kind }));
  return (
    <section className="card" aria-labelledby="health-heading" data-testid="incident-health">
      <h2 id="health-heading">What the monitors saw</h2>
      {windows.length === 0 ? (
        <p className="empty">
          {incident.startedAt === null ? "Record a start time to see the affected services' health around it." : "No affected services are listed, so there is no health history to show."}
        </p>
      ) : null}
      {windows.map((window) => {
        const lines = window.monitors.map((monitor) => ({
          name: monitor.name,
          points: downsample(window.latency.filter((p) => p.monitorId === monitor.id), 600),
        }));
        const firstMarker: Marker[] = window.firstFailure ? [{ at: window.firstFailure.at, label: "First failed check", kind: "first-failure" }] : [];
        const lead = leadSentence(window.firstFailure?.at ?? null, incident.detectedAt);
        const nothing = window.monitors.length === 0;
        return (
          <div key={window.serviceId} className="health-window">
            <h3>
              <a href={`/services/${window.serviceId}`}>{window.serviceName}</a>
              {window.example ? <span className="badge example">Example data</span> : null}
            </h3>
            {nothing ? (
              <p className="empty">No monitors watch this service. Add one on its <a href={`/services/${window.serviceId}`}>service page</a>.</p>
            ) : (
              <>
                {window.firstFailure ? (
                  <p data-testid="first-failure">
                    First failed check: <strong>{formatInstant(window.firstFailure.at, zone)}</strong> ({window.firstFailure.monitorName}
                    {window.firstFailure.message ? `: ${window.firstFailure.message}` : ""}). {lead}
                  </p>
                ) : (
                  <p>No failed check between {formatInstant(window.from, zone)} and {formatInstant(window.to, zone)}.</p>
                )}
                <TimeChart
                  from={window.from}
                  to={window.to}
                  series={lines}
                  bands={window.bands}
                  markers={[...markers, ...firstMarker].sort((a, b) => a.at - b.at)}
                  ticks={timeTicks(window.from, window.to, (at) => formatTime(at, zone))}
                  label={`${window.serviceName}: state and latency from ${formatInstant(window.from, zone)} to ${formatInstant(window.to, zone)}`}
                />
                <p className="hint">
                  {window.capturedAt !== null ? `Saved with the incident on ${formatInstant(window.capturedAt, zone)}. ` : ""}
                  {window.resolution === "raw" ? "Every check shown." : `Latency averaged per ${window.resolution}.`} Times in {zone}.
                </p>
                <details className="chart-table">
                  <summary>Show as table</summary>
                  <table>
                    <caption className="sr-only">States of {window.serviceName} during the incident</caption>
                    <thead>
                      <tr>
                        <th scope="col">From</th>
                        <th scope="col">Until</th>
                        <th scope="col">State</th>
                      </tr>
                    </thead>
                    <tbody>
                      {window.bands.map((band) => (
                        <tr key={band.from}>
                          <td>{formatInstant(band.from, zone)}</td>
                          <td>{formatInstant(band.to, zone)}</td>
                          <td>{stateLabel(band.state)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </details>
                {window.changes.length ? (
                  <ul className="state-changes">
                    {window.changes.map((change) => (
                      <li key={change.id}>
                        <span className="when">{formatInstant(change.at, zone)}</span> {change.monitorName}: {stateLabel(change.from)} → <StateBadge state={change.to} />
                        {change.message ? <span className="hint"> {change.message}</span> : null}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </>
            )}
          </div>
        );
      })}
      {children}
    </section>
  );
}
