import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ShouldRevalidateFunction } from "@remix-run/react";

import { ActionStatusButtons } from "~/components/action-status-buttons";
import { SeverityBadge } from "~/components/badges";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { formatCalendarDate, formatDate } from "~/lib/time";
import { ACTION_STATUS_LABELS } from "~/lib/vocabulary";
import { addDays, isOverdue, today } from "~/models/actions.server";
import { DUE_SOON_DAYS, actionsForReview, incidentsInReview } from "~/review/weekly.server";

export const meta: MetaFunction = () => [{ title: "Weekly review · Hindsight" }];

const DAY = 86_400_000;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** A refused status change keeps the list as it was, so its message stays beside the action it is about. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  (actionResult as { ok?: boolean } | undefined)?.ok === false ? false : defaultShouldRevalidate;

export async function loader() {
  const now = Date.now();
  const todayDate = today(now);
  const groups = actionsForReview(todayDate).map((group) => ({
    owner: group.owner,
    actions: group.actions.map((action) => {
      const overdue = isOverdue(action, todayDate);
      const days = action.dueDate ? daysBetween(todayDate, action.dueDate) : 0;
      return {
        id: action.id,
        title: action.title,
        incidentId: action.incidentId,
        incidentTitle: action.incidentTitle,
        priority: action.priority,
        status: action.status,
        overdue,
        due: action.dueDate ? formatCalendarDate(action.dueDate) : "",
        when: overdue ? `overdue by ${plural(-days, "day")}` : days === 0 ? "due today" : `due in ${plural(days, "day")}`,
      };
    }),
  }));
  const actions = groups.flatMap((group) => group.actions);
  return json({
    today: formatCalendarDate(todayDate),
    // Sent as data: a constant from a .server module is not in the browser bundle.
    dueSoonDays: DUE_SOON_DAYS,
    until: formatCalendarDate(addDays(todayDate, DUE_SOON_DAYS)),
    overdueCount: actions.filter((action) => action.overdue).length,
    dueSoonCount: actions.filter((action) => !action.overdue).length,
    groups,
    inReview: incidentsInReview().map((incident) => {
      const days = Math.floor((now - incident.since) / DAY);
      return {
        id: incident.id,
        title: incident.title,
        severity: incident.severity,
        since: formatDate(incident.since, incident.timeZone),
        duration: days < 1 ? "less than a day" : plural(days, "day"),
        sinceKnown: incident.sinceKnown,
      };
    }),
  });
}

export default function WeeklyReview() {
  const { today: todayText, dueSoonDays, until, overdueCount, dueSoonCount, groups, inReview } = useLoaderData<typeof loader>();
  return (
    <div className="weekly-review">
      <h1>Weekly review</h1>
      <p className="print-only">As of {todayText}.</p>
      <p className="hint print-hint">
        Today is {todayText}. To take this page to the meeting, print it (Ctrl+P, or ⌘P on a Mac): the navigation, forms and buttons are left out.
      </p>

      <section className="card" aria-labelledby="review-actions-heading">
        <h2 id="review-actions-heading">
          Corrective actions overdue or due by {until}
        </h2>
        <p className="hint">
          {plural(overdueCount, "overdue action")}, {dueSoonCount} due in the next {dueSoonDays} days. Grouped by owner; actions nobody owns come first.
        </p>
        {groups.length === 0 ? <p className="empty">Nothing is overdue or due this week.</p> : null}
        {groups.map((group, index) => {
          const headingId = `review-owner-${index}`;
          return (
            <section key={group.owner ?? ""} className={group.owner ? "owner-group" : "owner-group no-owner"} aria-labelledby={headingId}>
              <h3 id={headingId}>{group.owner ?? "No owner"}</h3>
              {group.owner ? null : (
                <p className="no-owner-note" role="note">
                  Nobody owns {group.actions.length === 1 ? "this action" : "these actions"}: agree on an owner in the meeting.
                </p>
              )}
              <table>
                <caption className="sr-only">Actions {group.owner ? `owned by ${group.owner}` : "without an owner"}</caption>
                <thead>
                  <tr>
                    <th scope="col">Action</th>
                    <th scope="col">Due</th>
                    <th scope="col">Priority</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {group.actions.map((action) => (
                    <tr key={action.id} className={action.overdue ? "overdue" : undefined} data-testid="review-action">
                      <td>
                        {action.title}
                        <div className="hint">
                          <Link to={`/incidents/${action.incidentId}/actions`}>
                            #{action.incidentId} {action.incidentTitle}
                          </Link>
                        </div>
                      </td>
                      <td>
                        {action.due}
                        <div className={action.overdue ? "overdue-note" : "hint"}>{action.when}</div>
                      </td>
                      <td>{action.priority}</td>
                      <td>
                        <span className="print-only">{ACTION_STATUS_LABELS[action.status]}</span>
                        <ActionStatusButtons actionId={action.id} status={action.status} redirectTo="/review" label={action.title} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          );
        })}
      </section>

      <section className="card" aria-labelledby="review-postmortems-heading">
        <h2 id="review-postmortems-heading">Postmortems in review ({inReview.length})</h2>
        {inReview.length === 0 ? (
          <p className="empty">No postmortem is waiting in review.</p>
        ) : (
          <>
            <p className="hint">The longest waiting first.</p>
            <table>
              <caption className="sr-only">Incidents whose postmortem is in review, longest waiting first</caption>
              <thead>
                <tr>
                  <th scope="col">Incident</th>
                  <th scope="col">Severity</th>
                  <th scope="col">In review</th>
                </tr>
              </thead>
              <tbody>
                {inReview.map((incident) => (
                  <tr key={incident.id} data-testid="in-review">
                    <td>
                      <Link to={`/incidents/${incident.id}/postmortem`}>
                        #{incident.id} {incident.title}
                      </Link>
                    </td>
                    <td>
                      <SeverityBadge severity={incident.severity} />
                    </td>
                    <td>
                      {incident.sinceKnown ? (
                        <>
                          for {incident.duration}
                          <div className="hint">since {incident.since}</div>
                        </>
                      ) : (
                        <>
                          unknown
                          <div className="hint">History records no move into review; last changed {incident.since}</div>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="page" />;
}
