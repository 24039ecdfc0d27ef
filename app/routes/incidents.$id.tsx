import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, NavLink, Outlet, useLoaderData } from "@remix-run/react";

import { SeverityBadge, StatusBadge } from "~/components/badges";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { notFound, requireId } from "~/lib/http.server";
import { incidentSummaryView } from "~/lib/incident-view";
import { getIncident } from "~/models/incidents.server";
import { REPEAT_WINDOW_DAYS, repeatOf, type Repeat } from "~/review/recurrence.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.incident.title} · Hindsight` : "Incident not found · Hindsight" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const incident = getIncident(requireId(params.id));
  if (!incident) throw notFound();
  const repeat = repeatOf(incident.id);
  return json({ incident: incidentSummaryView(incident), repeat: repeat ? repeatView(repeat) : null });
}

/** "Repeat of #12 (same service and category within 90 days) — 2 of 3 actions done" */
function repeatView(repeat: Repeat) {
  const { id } = repeat.incident;
  const { total, done, wontDo } = repeat.summary;
  const actions =
    total === 0
      ? "it has no corrective actions"
      : `${done} of ${total} ${total === 1 ? "action" : "actions"} done${wontDo ? `, ${wontDo} won't do` : ""}`;
  return { id, title: `Repeat of #${id} (same service and category within ${REPEAT_WINDOW_DAYS} days) — ${actions}` };
}

export default function IncidentLayout() {
  const { incident, repeat } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="incident-header">
        <h1>{incident.title}</h1>
        <SeverityBadge severity={incident.severity} />
        <StatusBadge status={incident.status} />
        {repeat ? (
          <Link to={`/incidents/${repeat.id}/actions`} className="badge repeat" title={repeat.title} data-testid="repeat-badge">
            Repeat of #{repeat.id}
          </Link>
        ) : null}
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
