import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { z } from "zod";

import { ActionFields, type ActionFormValues } from "~/components/action-fields";
import { ActionStatusButtons } from "~/components/action-status-buttons";
import { ActionStatusBadge } from "~/components/badges";
import { authorOf } from "~/auth/actor";
import { requireActor } from "~/auth/context.server";
import { ConflictOrErrors, conflictOf } from "~/components/conflict";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { EditorsOnly } from "~/components/user";
import { FormErrors } from "~/components/forms";
import { conflictMessage, formVersion } from "~/lib/conflict";
import { formValues, notFound, requireId } from "~/lib/http.server";
import { formatCalendarDate } from "~/lib/time";
import { markdownToSafeHtml } from "~/lib/markdown.server";
import { validateAction } from "~/lib/validation";
import { addAction, deleteAction, getAction, isOverdue, listActions, today, updateAction } from "~/models/actions.server";
import { getIncident } from "~/models/incidents.server";

/** A refused status change keeps the list as it was, so its message stays beside the action it is about. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  (actionResult as { ok?: boolean } | undefined)?.ok === false ? false : defaultShouldRevalidate;

export async function loader({ params, request }: LoaderFunctionArgs) {
  const incident = getIncident(requireId(params.id));
  if (!incident) throw notFound();
  const todayDate = today();
  const actions = listActions({ incidentId: incident.id, sort: "created" }).map((action) => ({
    id: action.id,
    title: action.title,
    detailsHtml: action.details ? markdownToSafeHtml(action.details) : "",
    owner: action.owner,
    due: action.dueDate ? formatCalendarDate(action.dueDate) : null,
    overdue: isOverdue(action, todayDate),
    type: action.type,
    priority: action.priority,
    status: action.status,
    trackerUrl: action.trackerUrl,
    version: action.version,
    values: {
      title: action.title,
      details: action.details,
      type: action.type,
      owner: action.owner ?? "",
      dueDate: action.dueDate ?? "",
      priority: action.priority,
      status: action.status,
      trackerUrl: action.trackerUrl ?? "",
    } satisfies ActionFormValues,
  }));
  return json({ incidentId: incident.id, revision: incident.updatedAt, actions, deleted: new URL(request.url).searchParams.has("deleted") });
}

/** Built when a form arrives, not at import: zod then stays out of the browser bundle. */
function intentSchema() {
  return z.discriminatedUnion("intent", [
    z.object({ intent: z.literal("add-action") }),
    z.object({ intent: z.literal("edit-action"), actionId: z.coerce.number().int() }),
    z.object({ intent: z.literal("delete-action"), actionId: z.coerce.number().int() }),
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
  if (!intent.success) return json({ intent: null, actionId: null, errors: { form: "Unknown request" }, values }, { status: 400 });
  const back = redirect(`/incidents/${incident.id}/actions`);

  if (intent.data.intent === "add-action") {
    const result = validateAction(values);
    if (!result.ok) return json({ intent: "add-action", actionId: null, errors: result.errors, values }, { status: 400 });
    addAction(incident.id, result.data, author);
    return back;
  }
  const existing = getAction(intent.data.actionId);
  if (!existing || existing.incidentId !== incident.id) throw notFound("Corrective action not found");
  if (intent.data.intent === "delete-action") {
    deleteAction(existing.id, author);
    return redirect(`/incidents/${incident.id}/actions?deleted=${existing.id}`);
  }
  const result = validateAction(values);
  if (!result.ok) return json({ intent: "edit-action", actionId: existing.id, errors: result.errors, values }, { status: 400 });
  const saved = updateAction(existing.id, result.data, author, { expectedVersion: formVersion(values) });
  if (!saved.ok && saved.reason === "conflict") {
    const message = conflictMessage(saved.changedBy, incident.timeZone);
    const current = saved.current;
    const theirs = `${current.title} (owner: ${current.owner ?? "unassigned"}; due: ${current.dueDate ?? "no date"}; ${current.type}, ${current.priority}, ${current.status})${current.details ? `\n${current.details}` : ""}`;
    return json(
      { intent: "edit-action", actionId: existing.id, errors: { form: message }, values, conflict: { message, version: current.version, theirs } },
      { status: 409 },
    );
  }
  if (!saved.ok) throw notFound("Corrective action not found");
  return back;
}

export default function IncidentActions() {
  const { incidentId, revision, actions, deleted } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const addRejected = actionData?.intent === "add-action";
  const here = `/incidents/${incidentId}/actions`;
  return (
    <>
      <section className="card" aria-labelledby="actions-heading">
        <h2 id="actions-heading">Corrective and preventative measures</h2>
        {deleted ? (
          <p className="notice" role="status">
            Action deleted. <Link to={`/incidents/${incidentId}/history`}>Restore it from History</Link> if that was a mistake.
          </p>
        ) : null}
        {actions.length === 0 ? <p className="empty">No corrective actions yet.</p> : null}
        <ul className="timeline">
          {actions.map((action) => {
            const rejected = actionData?.intent === "edit-action" && actionData.actionId === action.id ? actionData : null;
            return (
              <li key={action.id} data-testid="corrective-action" className={action.overdue ? "overdue" : undefined}>
                <div>
                  <ActionStatusBadge status={action.status} />
                  <div className="hint">
                    {action.type} · {action.priority}
                  </div>
                </div>
                <div>
                  <strong>{action.title}</strong>
                  <div className="hint">
                    Owner: {action.owner ?? "unassigned"} · Due: {action.due ?? "no date"}
                    {action.overdue ? <span className="overdue-note"> · overdue</span> : null}
                    {action.trackerUrl ? (
                      <>
                        {" "}
                        · <a href={action.trackerUrl} rel="noopener noreferrer nofollow">tracker</a>
                      </>
                    ) : null}
                  </div>
                  {action.detailsHtml ? <div className="markdown" dangerouslySetInnerHTML={{ __html: action.detailsHtml }} /> : null}
                  <ActionStatusButtons actionId={action.id} status={action.status} redirectTo={here} label={action.title} />
                  <EditorsOnly>
                  <details className="edit" open={Boolean(rejected)} key={revision}>
                    <summary>Edit</summary>
                    <Form method="post" noValidate>
                      <input type="hidden" name="actionId" value={action.id} />
                      <input type="hidden" name="version" value={conflictOf(rejected)?.version ?? action.version} />
                      <ConflictOrErrors rejected={rejected} />
                      <ActionFields idPrefix={`action-${action.id}`} values={rejected ? rejected.values : action.values} errors={rejected?.errors} />
                      <div className="row-actions">
                        <button type="submit" name="intent" value="edit-action" className="primary">
                          Save action
                        </button>
                        <button type="submit" name="intent" value="delete-action" className="danger">
                          Delete action
                        </button>
                      </div>
                    </Form>
                  </details>
                  </EditorsOnly>
                </div>
              </li>
            );
          })}
        </ul>
      </section>
      <EditorsOnly>
      <section className="card" aria-labelledby="add-action-heading">
        <h2 id="add-action-heading">Add a corrective action</h2>
        <Form method="post" noValidate key={revision}>
          <FormErrors errors={addRejected ? actionData.errors : null} />
          <ActionFields idPrefix="new-action" values={addRejected ? actionData.values : {}} errors={addRejected ? actionData.errors : undefined} />
          <button type="submit" name="intent" value="add-action" className="primary" disabled={navigation.state === "submitting"}>
            Add action
          </button>
        </Form>
      </section>
      </EditorsOnly>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="corrective action" />;
}
