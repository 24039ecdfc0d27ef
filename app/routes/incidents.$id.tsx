import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";

import { SeverityBadge, StatusBadge } from "~/components/badges";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { notFound, requireId } from "~/lib/http.server";
import { incidentSummaryView } from "~/lib/incident-view";
import { getIncident } from "~/models/incidents.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.incident.title} · Hindsight` : "Incident not found · Hindsight" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const incident = getIncident(requireId(params.id));
  if (!incident) throw notFound();
  return json({ incident: incidentSummaryView(incident) });
}

export default function IncidentLayout() {
  const { incident } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="incident-header">
        <h1>{incident.title}</h1>
        <SeverityBadge severity={incident.severity} />
        <StatusBadge status={incident.status} />
        <span className="hint">
          {incident.started} · duration {incident.duration} · {incident.impact}
        </span>
      </div>
      <nav className="tabs" aria-label="Incident sections">
        <NavLink to="." end>
          Overview
        </NavLink>
        <NavLink to="timeline">Timeline</NavLink>
        <NavLink to="actions">Corrective actions</NavLink>
        <NavLink to="postmortem">Postmortem</NavLink>
        <NavLink to="history">History</NavLink>
        <span className="spacer" />
        <a href={`/incidents/${incident.id}/postmortem.md`} download>
          Download Markdown
        </a>
      </nav>
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="incident" />;
}
