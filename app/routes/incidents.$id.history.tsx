import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { authorOf } from "~/auth/actor";
import { requireActor } from "~/auth/context.server";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { EditorsOnly } from "~/components/user";
import { fieldChanges, recordLabel, type DiffPart, type FieldChange } from "~/lib/history-diff";
import { formValues, notFound, requireId } from "~/lib/http.server";
import { formatInstant } from "~/lib/time";
import { restoreAction } from "~/models/actions.server";
import { listHistory } from "~/models/history.server";
import { getIncident, getIncidentWithDetails } from "~/models/incidents.server";
import { restoreTimelineEntry } from "~/models/timeline.server";

const ENTITY_LABELS = { incident: "Incident", timeline_entry: "Timeline entry", action: "Corrective action" } as const;
const CHANGE_LABELS = { create: "added", update: "changed", delete: "deleted", restore: "restored" } as const;

export async function loader({ params }: LoaderFunctionArgs) {
  const details = getIncidentWithDetails(requireId(params.id));
  if (!details) throw notFound();
  const zone = details.incident.timeZone;
  const liveEntries = new Set(details.timeline.map((entry) => entry.id));
  const liveActions = new Set(details.actions.map((action) => action.id));
  const entries = listHistory(details.incident.id).map((row) => {
    const stillDeleted =
      row.change === "delete" &&
      ((row.entityType === "timeline_entry" && !liveEntries.has(row.entityId)) || (row.entityType === "action" && !liveActions.has(row.entityId)));
    return {
      id: row.id,
      at: formatInstant(row.at, zone),
      actor: row.actor,
      entity: ENTITY_LABELS[row.entityType],
      entityType: row.entityType,
      entityId: row.entityId,
      change: CHANGE_LABELS[row.change],
      label: row.entityType === "incident" ? "" : recordLabel(row.after ?? row.before),
      fields: row.change === "update" || row.change === "create" ? fieldChanges(row.before, row.after, zone) : [],
      restorable: stillDeleted,
    };
  });
  return json({ entries });
}

/** Built when a form arrives, not at import: zod then stays out of the browser bundle. */
function restoreSchema() {
  return z.object({
    intent: z.enum(["restore-entry", "restore-action"]),
    recordId: z.coerce.number().int(),
  });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const author = authorOf(requireActor(context));
  const incident = getIncident(requireId(params.id));
  if (!incident) throw notFound();
  const parsed = restoreSchema().safeParse(formValues(await request.formData()));
  if (!parsed.success) return json({ error: "Unknown request" }, { status: 400 });
  const restored =
    parsed.data.intent === "restore-entry" ? restoreTimelineEntry(parsed.data.recordId, author) : restoreAction(parsed.data.recordId, author);
  if (!restored) throw notFound("Nothing to restore");
  return redirect(`/incidents/${incident.id}/history`);
}

function Words({ parts, show }: { parts: DiffPart[]; show: "removed" | "added" }) {
  return (
    <>
      {parts.map((part, index) =>
        part.kind === "same" ? (
          <span key={index}>{part.text}</span>
        ) : part.kind !== show ? null : show === "removed" ? (
          <del key={index}>{part.text}</del>
        ) : (
          <ins key={index}>{part.text}</ins>
        ),
      )}
    </>
  );
}

/** One field: before (with what went struck out) and after (with what came highlighted). */
function FieldDiff({ change }: { change: FieldChange }) {
  const empty = <span className="empty">empty</span>;
  return (
    <tr>
      <th scope="row">{change.label}</th>
      <td>{change.parts ? <Words parts={change.parts} show="removed" /> : change.before ? <del>{change.before}</del> : empty}</td>
      <td>{change.parts ? <Words parts={change.parts} show="added" /> : change.after ? <ins>{change.after}</ins> : empty}</td>
    </tr>
  );
}

export default function IncidentHistory() {
  const { entries } = useLoaderData<typeof loader>();
  if (entries.length === 0) return <p className="empty">No changes recorded yet.</p>;
  return (
    <section className="card" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <ol className="history">
        {entries.map((entry) => (
          <li key={entry.id} data-testid="history-entry">
            <p>
              <strong>{entry.actor}</strong> {entry.change} {entry.entity.toLowerCase()}
              {entry.label ? <> “{entry.label}”</> : null} <span className="hint">· {entry.at}</span>
            </p>
            {entry.fields.length ? (
              <table className="diff">
                <caption className="sr-only">Fields changed</caption>
                <thead>
                  <tr>
                    <th scope="col">Field</th>
                    <th scope="col">Before</th>
                    <th scope="col">After</th>
                  </tr>
                </thead>
                <tbody>
                  {entry.fields.map((change) => (
                    <FieldDiff key={change.field} change={change} />
                  ))}
                </tbody>
              </table>
            ) : null}
            {entry.restorable ? (
              <EditorsOnly>
                <Form method="post">
                  <input type="hidden" name="recordId" value={entry.entityId} />
                  <button type="submit" name="intent" value={entry.entityType === "action" ? "restore-action" : "restore-entry"}>
                    Restore this {entry.entity.toLowerCase()}
                  </button>
                </Form>
              </EditorsOnly>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="history" />;
}
