import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";

import { authorOf } from "~/auth/actor";
import { requireActor } from "~/auth/context.server";
import { ConflictOrErrors, conflictOf } from "~/components/conflict";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { EditorsOnly } from "~/components/user";
import { FormErrors, SelectField, TextAreaField, TextField } from "~/components/forms";
import { conflictMessage, formVersion } from "~/lib/conflict";
import { formValues, notFound, requireId } from "~/lib/http.server";
import { markdownToSafeHtml } from "~/lib/markdown.server";
import { formatCalendarDate, formatDate, formatForInput, formatSinceStart, formatTime, toIsoInZone, zoneLabel } from "~/lib/time";
import { validateTimelineEntry } from "~/lib/validation";
import { TIMELINE_KINDS } from "~/lib/vocabulary";
import { getIncident } from "~/models/incidents.server";
import {
  addTimelineEntry,
  deleteTimelineEntry,
  getTimelineEntry,
  listTimeline,
  timelineContext,
  updateTimelineEntry,
} from "~/models/timeline.server";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const search = new URL(request.url).searchParams;
  const added = Number(search.get("added") ?? NaN);
  const incident = getIncident(requireId(params.id));
  if (!incident) throw notFound();
  const zone = incident.timeZone;
  const { referenceDate } = timelineContext(incident);
  const entries = listTimeline(incident.id).map((entry) => ({
    id: entry.id,
    kind: entry.kind,
    author: entry.author,
    text: entry.text,
    html: markdownToSafeHtml(entry.text),
    date: formatDate(entry.occurredAt, zone),
    time: `${formatTime(entry.occurredAt, zone)} ${zoneLabel(entry.occurredAt, zone)}`,
    since: incident.startedAt === null ? null : formatSinceStart(entry.occurredAt, incident.startedAt),
    inputTime: formatForInput(entry.occurredAt, zone),
    version: entry.version,
    fromMonitor: entry.stateChangeId !== null,
  }));
  return json({ added: Number.isInteger(added) && added >= 0 ? added : null, deleted: search.has("deleted"), incidentId: incident.id, revision: incident.updatedAt, zone, referenceDate: referenceDate === null ? null : formatCalendarDate(referenceDate), entries });
}

/** Built when a form arrives, not at import: zod then stays out of the browser bundle. */
function intentSchema() {
  return z.discriminatedUnion("intent", [
    z.object({ intent: z.literal("add-entry") }),
    z.object({ intent: z.literal("edit-entry"), entryId: z.coerce.number().int() }),
    z.object({ intent: z.literal("delete-entry"), entryId: z.coerce.number().int() }),
  ]);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const author = authorOf(requireActor(context));
  const id = requireId(params.id);
  // The form first: the record read after it is the one the save replaces, with no wait in between.
  const values = formValues(await request.formData());
  const incident = getIncident(id);
  if (!incident) throw notFound();
  const intent = intentSchema().safeParse(values);
  if (!intent.success) return json({ intent: null, entryId: null, errors: { form: "Unknown request" }, values }, { status: 400 });
  const back = redirect(`/incidents/${incident.id}/timeline`);

  if (intent.data.intent === "add-entry") {
    const result = validateTimelineEntry(values, timelineContext(incident));
    if (!result.ok) return json({ intent: "add-entry", entryId: null, errors: result.errors, values }, { status: 400 });
    addTimelineEntry(incident.id, result.data, author);
    return back;
  }

  const entry = getTimelineEntry(intent.data.entryId);
  if (!entry || entry.incidentId !== incident.id) throw notFound("Timeline entry not found");
  if (intent.data.intent === "delete-entry") {
    deleteTimelineEntry(entry.id, author);
    return redirect(`/incidents/${incident.id}/timeline?deleted=${entry.id}`);
  }
  // A time left as shown keeps its exact instant (the hour repeated when clocks go back is ambiguous as text).
  const unchangedTime = values.occurredAt === formatForInput(entry.occurredAt, incident.timeZone);
  const submitted = unchangedTime ? { ...values, occurredAt: toIsoInZone(entry.occurredAt, incident.timeZone) } : values;
  const result = validateTimelineEntry(submitted, timelineContext(incident));
  if (!result.ok) return json({ intent: "edit-entry", entryId: entry.id, errors: result.errors, values }, { status: 400 });
  const saved = updateTimelineEntry(entry.id, result.data, author, { expectedVersion: formVersion(values) });
  if (!saved.ok && saved.reason === "conflict") {
    const message = conflictMessage(saved.changedBy, incident.timeZone);
    const theirs = `${formatForInput(saved.current.occurredAt, incident.timeZone)} (${saved.current.kind}) ${saved.current.text}`;
    return json(
      { intent: "edit-entry", entryId: entry.id, errors: { form: message }, values, conflict: { message, version: saved.current.version, theirs } },
      { status: 409 },
    );
  }
  if (!saved.ok) throw notFound("Timeline entry not found");
  return back;
}

type EntryValues = { occurredAt?: string; kind?: string; author?: string; text?: string };

function EntryFields({ values, errors = {}, idPrefix, timeHint }: { values: EntryValues; errors?: Record<string, string>; idPrefix: string; timeHint: string }) {
  return (
    <>
      <div className="field-row">
        <TextField name="occurredAt" label="Time" placeholder="4:20 PM" defaultValue={values.occurredAt} error={errors.occurredAt} hint={timeHint} idPrefix={idPrefix} />
        <SelectField name="kind" label="Kind" options={TIMELINE_KINDS} defaultValue={values.kind ?? "note"} error={errors.kind} idPrefix={idPrefix} />
        <TextField name="author" label="Author (optional)" defaultValue={values.author} error={errors.author} idPrefix={idPrefix} />
      </div>
      <TextAreaField name="text" label="What happened (Markdown)" rows={3} defaultValue={values.text} error={errors.text} idPrefix={idPrefix} />
    </>
  );
}

export default function TimelineEditor() {
  const { added, deleted, incidentId, revision, zone, referenceDate, entries } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const timeHint = referenceDate
    ? `16:20 or 4:20 PM is read in ${zone} on ${referenceDate}; type a date for other days`
    : `Type a date and time, e.g. 2024-06-09 16:20 (${zone}); the incident has no start time yet`;
  const addRejected = actionData?.intent === "add-entry";
  return (
    <>
      <section className="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">Timeline</h2>
        {deleted ? (
          <p className="notice" role="status">
            Entry deleted. <Link to={`/incidents/${incidentId}/history`}>Restore it from History</Link> if that was a mistake.
          </p>
        ) : null}
        {added !== null ? (
          <p className="notice" role="status">
            {added === 0 ? "The monitors' state changes were already in the timeline." : `Added ${added === 1 ? "1 entry" : `${added} entries`} from the monitors.`}
          </p>
        ) : null}
        {entries.length === 0 ? <p className="empty">No entries yet.</p> : null}
        <ol className="timeline">
          {entries.map((entry) => {
            const rejected = actionData?.intent === "edit-entry" && actionData.entryId === entry.id ? actionData : null;
            return (
              <li key={entry.id} data-testid="timeline-entry">
                <div className="when">
                  <span className="date">{entry.date}</span>
                  <strong>{entry.time}</strong> {entry.since ? <span className="since">{entry.since}</span> : null}
                  <div>
                    <span className="badge">{entry.kind}</span>
                    {entry.fromMonitor ? <span className="badge from-monitor">from the monitor</span> : null}
                  </div>
                </div>
                <div>
                  <div className="markdown" dangerouslySetInnerHTML={{ __html: entry.html }} />
                  {entry.author ? <div className="hint">— {entry.author}</div> : null}
                  <EditorsOnly>
                  <details className="edit" open={Boolean(rejected)} key={revision}>
                    <summary>Edit</summary>
                    <Form method="post" noValidate>
                      <input type="hidden" name="entryId" value={entry.id} />
                      <input type="hidden" name="version" value={conflictOf(rejected)?.version ?? entry.version} />
                      <ConflictOrErrors rejected={rejected} />
                      <EntryFields
                        idPrefix={`entry-${entry.id}`}
                        timeHint={timeHint}
                        values={rejected ? rejected.values : { occurredAt: entry.inputTime, kind: entry.kind, author: entry.author ?? "", text: entry.text }}
                        errors={rejected?.errors}
                      />
                      <div className="row-actions">
                        <button type="submit" name="intent" value="edit-entry" className="primary">
                          Save entry
                        </button>
                        <button type="submit" name="intent" value="delete-entry" className="danger">
                          Delete entry
                        </button>
                      </div>
                    </Form>
                  </details>
                  </EditorsOnly>
                </div>
              </li>
            );
          })}
        </ol>
      </section>
      <EditorsOnly>
      <section className="card" aria-labelledby="add-entry-heading">
        <h2 id="add-entry-heading">Add an entry</h2>
        {/* Keyed by the incident's revision so the form clears once an entry is saved. */}
        <Form method="post" noValidate key={revision}>
          <FormErrors errors={addRejected ? actionData.errors : null} />
          <EntryFields idPrefix="new-entry" timeHint={timeHint} values={addRejected ? actionData.values : {}} errors={addRejected ? actionData.errors : undefined} />
          <button type="submit" name="intent" value="add-entry" className="primary" disabled={navigation.state === "submitting"}>
            Add entry
          </button>
        </Form>
      </section>
      </EditorsOnly>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="timeline" />;
}
