import { Link } from "@remix-run/react";

import { formatCalendarDate, formatDate } from "~/lib/time";
import { ACTION_STATUS_LABELS, INCIDENT_STATUS_LABELS, type IncidentStatus } from "~/lib/vocabulary";
import type { SimilarIncident } from "~/review/recurrence.server";

/** What the overview shows of each similar past incident, as text made in the loader. */
export function similarIncidentsView(items: SimilarIncident[]) {
  return items.map((item) => {
    const { total, done, wontDo, pending } = item.actions;
    const parts = [done ? `${done} done` : null, wontDo ? `${wontDo} won't do` : null, pending.length ? `${pending.length} still open` : null].filter(Boolean);
    return {
      id: item.id,
      title: item.title,
      started: item.startedAt === null ? "start unknown" : formatDate(item.startedAt, item.timeZone),
      status: INCIDENT_STATUS_LABELS[item.status as IncidentStatus] ?? item.status,
      score: item.score.toFixed(1),
      reasons: item.reasons,
      actions: total === 0 ? "No corrective actions." : `${total} corrective ${total === 1 ? "action" : "actions"}: ${parts.join(", ")}.`,
      pending: pending.map((action) =>
        [action.title, ACTION_STATUS_LABELS[action.status].toLowerCase(), action.owner ?? "no owner", action.dueDate ? `due ${formatCalendarDate(action.dueDate)}` : "no due date"].join(" · "),
      ),
    };
  });
}

export type SimilarIncidentView = ReturnType<typeof similarIncidentsView>[number];

export function SimilarIncidents({ items }: { items: SimilarIncidentView[] }) {
  return (
    <section className="card" aria-labelledby="similar-heading">
      <h2 id="similar-heading">Similar past incidents</h2>
      {items.length === 0 ? (
        <p className="empty">No earlier incident shares a service, the cause category or root-cause words with this one.</p>
      ) : (
        <>
          <p className="hint">Earlier incidents scored by shared services (3 each), the same cause category (2) and shared title or root-cause words (up to 1 each, rarer words more).</p>
          <ul className="similar">
            {items.map((item) => (
              <li key={item.id} data-testid="similar-incident">
                <Link to={`/incidents/${item.id}`}>
                  #{item.id} {item.title}
                </Link>
                <span className="score">score {item.score}</span>
                <div className="hint">
                  {item.started} · {item.status}
                </div>
                <ul className="reasons">
                  {item.reasons.map((reason) => (
                    <li key={reason}>{reason}</li>
                  ))}
                </ul>
                <div>
                  <Link to={`/incidents/${item.id}/actions`}>{item.actions}</Link>
                </div>
                {item.pending.length ? (
                  <ul className="pending">
                    {item.pending.map((line, index) => (
                      <li key={index}>{line}</li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
