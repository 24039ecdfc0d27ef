import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";

import { RouteErrorBoundary } from "~/components/error-boundary";
import { IncidentTable } from "~/components/incident-table";
import { formatCalendarDate } from "~/lib/time";
import { incidentSummaryView } from "~/lib/incident-view";
import { addDays, isOverdue, listActions, today, type TrackedAction } from "~/models/actions.server";
import { StateBadge } from "~/components/health/charts";
import { listOpenIncidents, listRecentPostmortems } from "~/models/incidents.server";
import { listServices } from "~/models/services.server";

export const meta: MetaFunction = () => [{ title: "Dashboard · Hindsight" }];

const DUE_SOON_DAYS = 7;

export async function loader() {
  const now = Date.now();
  const todayDate = today(now);
  const actionView = (action: TrackedAction) => ({
    id: action.id,
    title: action.title,
    incidentId: action.incidentId,
    incidentTitle: action.incidentTitle,
    owner: action.owner,
    due: action.dueDate ? formatCalendarDate(action.dueDate) : "",
    overdue: isOverdue(action, todayDate),
  });
  return json({
    open: listOpenIncidents().map((incident) => incidentSummaryView(incident, now)),
    overdue: listActions({ overdue: true, today: todayDate }).map(actionView),
    dueSoon: listActions({ dueBy: addDays(todayDate, DUE_SOON_DAYS), today: todayDate }).map(actionView),
    uncommitted: listActions({ uncommitted: true, sort: "created", today: todayDate }).map(actionView),
    recent: listRecentPostmortems().map((incident) => incidentSummaryView(incident, now)),
    // Services a monitor sees in trouble right now: the first thing to look at in an outage.
    unhealthy: listServices()
      .filter((service) => service.state === "down" || service.state === "degraded")
      .map((service) => ({ id: service.id, name: service.name, state: service.state })),
  });
}

type ActionItem = ReturnType<typeof useLoaderData<typeof loader>>["overdue"][number];

function ActionList({ actions, empty }: { actions: ActionItem[]; empty: string }) {
  if (actions.length === 0) return <p className="empty">{empty}</p>;
  return (
    <ul>
      {actions.map((action) => (
        <li key={action.id}>
          <Link to={`/incidents/${action.incidentId}/actions`}>{action.title}</Link>
          <div className="hint">
            {action.owner ?? "unassigned"} · {action.due ? `due ${action.due}` : "no due date"}
            {action.overdue ? <span className="overdue-note"> (overdue)</span> : null} · {action.incidentTitle}
          </div>
        </li>
      ))}
    </ul>
  );
}

export default function Dashboard() {
  const { open, overdue, dueSoon, uncommitted, recent, unhealthy } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Dashboard</h1>
      {unhealthy.length ? (
        <section className="card" aria-labelledby="unhealthy-heading">
          <h2 id="unhealthy-heading">Services in trouble now ({unhealthy.length})</h2>
          <ul>
            {unhealthy.map((service) => (
              <li key={service.id}>
                <Link to={`/services/${service.id}`}>{service.name}</Link> <StateBadge state={service.state} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="card" aria-labelledby="open-heading">
        <h2 id="open-heading">Open incidents</h2>
        {open.length ? <IncidentTable incidents={open} caption="Open incidents" /> : <p className="empty">No incident is open.</p>}
      </section>
      <div className="grid-2">
        <section className="card" aria-labelledby="overdue-heading">
          <h2 id="overdue-heading">Overdue actions ({overdue.length})</h2>
          <ActionList actions={overdue} empty="Nothing is overdue." />
        </section>
        <section className="card" aria-labelledby="due-soon-heading">
          <h2 id="due-soon-heading">Due in the next {DUE_SOON_DAYS} days ({dueSoon.length})</h2>
          <ActionList actions={dueSoon} empty="Nothing is due this week." />
        </section>
      </div>
      {uncommitted.length ? (
        <section className="card" aria-labelledby="uncommitted-heading">
          <h2 id="uncommitted-heading">Open actions without an owner or due date ({uncommitted.length})</h2>
          <p className="hint">Nobody has committed to these yet, so they can never be overdue.</p>
          <ActionList actions={uncommitted} empty="" />
        </section>
      ) : null}
      <section className="card" aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent postmortems</h2>
        {recent.length ? <IncidentTable incidents={recent} caption="Recent postmortems" /> : <p className="empty">No postmortem yet.</p>}
        <p>
          <Link to="/actions">All corrective actions →</Link>
        </p>
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="dashboard" />;
}
