import { Link } from "@remix-run/react";

import type { IncidentSummaryView } from "~/lib/incident-view";

import { SeverityBadge, StatusBadge } from "./badges";

export function IncidentTable({ incidents, caption }: { incidents: IncidentSummaryView[]; caption?: string }) {
  return (
    <table>
      {caption ? <caption className="sr-only">{caption}</caption> : null}
      <thead>
        <tr>
          <th scope="col">Incident</th>
          <th scope="col">Severity</th>
          <th scope="col">Status</th>
          <th scope="col">Started</th>
          <th scope="col">Duration</th>
          <th scope="col">Impact</th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((incident) => (
          <tr key={incident.id}>
            <td>
              <Link to={`/incidents/${incident.id}`}>{incident.title}</Link>
              {incident.services.length ? <div className="hint">{incident.services.join(", ")}</div> : null}
            </td>
            <td>
              <SeverityBadge severity={incident.severity} />
            </td>
            <td>
              <StatusBadge status={incident.status} />
            </td>
            <td>{incident.started}</td>
            <td>{incident.duration}</td>
            <td>{incident.impact}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
