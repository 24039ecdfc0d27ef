import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { authorOf } from "~/auth/actor";
import { requireActor } from "~/auth/context.server";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { EditorsOnly } from "~/components/user";
import { FormErrors, TextAreaField } from "~/components/forms";
import { IncidentHealth } from "~/components/health/incident-health";
import { incidentHealthWindows } from "~/health/evidence.server";
import { addMonitorEventsToTimeline, pendingMonitorEvents } from "~/health/incident-link.server";
import { IncidentFields } from "~/components/incident-fields";
import { SimilarIncidents, similarIncidentsView } from "~/components/similar-incidents";
import { conflictMessage, formVersion } from "~/lib/conflict";
import { formValues, notFound, requireId } from "~/lib/http.server";
import { impactText } from "~/lib/impact";
import { incidentFormValues, mergeEditedFields } from "~/lib/incident-form";
import { markdownToSafeHtml } from "~/lib/markdown.server";
import { formatDuration, formatInstant } from "~/lib/time";
import { validateIncident } from "~/lib/validation";
import {
  DETECTION_METHOD_LABELS,
  FIELD_LABELS,
  INCIDENT_FIELDS,
  INCIDENT_STATUS_LABELS,
  OPEN_INCIDENT_STATUSES,
  SEVERITY_LABELS,
} from "~/lib/vocabulary";
import { incidentVocabulary, listCategoryNames } from "~/models/categories.server";
import { deleteIncident, getIncident, updateIncident } from "~/models/incidents.server";
import { similarIncidents } from "~/review/recurrence.server";

const SECTIONS = [
  { field: "summary", title: "Summary" },
  { field: "rootCause", title: "Root cause" },
  { field: "resolution", title: "Resolution" },
  { field: "lessons", title: "Lessons learned" },
  { field: "unplaced", title: "Unplaced notes" },
] as const;
type SectionField = (typeof SECTIONS)[number]["field"];

const DETAIL_FIELDS = INCIDENT_FIELDS.filter((field) => !SECTIONS.some((section) => section.field === field));

export async function loader({ params }: LoaderFunctionArgs) {
  const incident = getIncident(requireId(params.id));
  if (!incident) throw notFound();
  const zone = incident.timeZone;
  const time = (ms: number | null) => (ms === null ? "unknown" : formatInstant(ms, zone));
  const since = (ms: number | null) =>
    ms !== null && incident.startedAt !== null ? ` (${formatDuration(ms - incident.startedAt)} after the start)` : "";
  const notices: string[] = [];
  if (incident.resolvedAt !== null && OPEN_INCIDENT_STATUSES.includes(incident.status)) {
    notices.push(`A resolution time is recorded but the status is still "${INCIDENT_STATUS_LABELS[incident.status]}". Update the status under Edit details.`);
  }
  const windows = incidentHealthWindows(incident);
  return json({
    id: incident.id,
    health: {
      windows: windows.map((window) => ({ ...window, latency: thin(window.latency) })),
      times: { startedAt: incident.startedAt, detectedAt: incident.detectedAt, mitigatedAt: incident.mitigatedAt, resolvedAt: incident.resolvedAt, timeZone: zone },
      pending: pendingMonitorEvents(incident, windows).length,
    },
    // Changes on every save: editors are keyed by it, so a saved editor closes and shows the stored text.
    revision: incident.updatedAt,
    version: incident.version,
    notices,
    facts: [
      ["Severity", SEVERITY_LABELS[incident.severity]],
      ["Status", INCIDENT_STATUS_LABELS[incident.status]],
      ["Started", time(incident.startedAt)],
      ["Detected", time(incident.detectedAt) + since(incident.detectedAt)],
      ["Mitigated", time(incident.mitigatedAt) + since(incident.mitigatedAt)],
      ["Resolved", time(incident.resolvedAt) + since(incident.resolvedAt)],
      ["Time zone", zone],
      [
        "Impact",
        impactText(incident.impactPercent, incident.impactDescription, "not stated"),
      ],
      ["Affected services", incident.services.join(", ") || "none listed"],
      ["Cause category", incident.category ?? "not classified yet"],
      ["Trigger", incident.trigger ?? "not stated"],
      ["Detection method", incident.detectionMethod ? DETECTION_METHOD_LABELS[incident.detectionMethod] : "not stated"],
    ] as [string, string][],
    categories: listCategoryNames(),
    // Unplaced notes exist only for imported documents with text no section took.
    sections: SECTIONS.filter(({ field }) => field !== "unplaced" || incident.unplaced).map(({ field, title }) => ({
      field,
      title,
      html: incident[field] ? markdownToSafeHtml(incident[field]) : "",
    })),
    formValues: incidentFormValues(incident),
    similar: similarIncidentsView(similarIncidents(incident.id)),
  });
}

/** At most ~600 latency points per monitor reach the page: more draw no better. */
function thin<T extends { monitorId: number; at: number; ms: number }>(points: T[]): T[] {
  const perMonitor = new Map<number, T[]>();
  for (const point of points) {
    const list = perMonitor.get(point.monitorId);
    if (list) list.push(point);
    else perMonitor.set(point.monitorId, [point]);
  }
  return [...perMonitor.values()].flatMap((list) => {
    const step = Math.ceil(list.length / 600);
    return step <= 1 ? list : list.filter((_, index) => index % step === 0);
  });
}

/** Built when a form arrives, not at import: zod then stays out of the browser bundle. */
function intentSchema() {
  return z.discriminatedUnion("intent", [
    z.object({ intent: z.literal("update-details") }),
    z.object({ intent: z.literal("update-section"), field: z.enum(SECTIONS.map((section) => section.field)) }),
    z.object({ intent: z.literal("delete-incident") }),
    z.object({ intent: z.literal("add-monitor-events") }),
  ]);
}

type Rejection = {
  intent: "update-details" | "update-section" | null;
  field: SectionField | null;
  errors: Record<string, string>;
  values: Record<string, string>;
  /** Present when someone else saved first: their values and the version to save over. */
  conflict?: { message: string; version: number; theirs: Record<string, string> };
};

function reject(body: Rejection, status: number) {
  return json(body, { status });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const author = authorOf(requireActor(context));
  const id = requireId(params.id);
  // The form first: the record read after it is the one the save replaces, with no wait in between.
  const values = formValues(await request.formData());
  const incident = getIncident(id);
  if (!incident) throw notFound();
  const intent = intentSchema().safeParse(values);
  if (!intent.success) return reject({ intent: null, field: null, errors: { form: "Unknown request" }, values }, 400);

  if (intent.data.intent === "delete-incident") {
    deleteIncident(id, author);
    return redirect("/incidents");
  }
  if (intent.data.intent === "add-monitor-events") {
    const added = addMonitorEventsToTimeline(incident, author);
    return redirect(`/incidents/${id}/timeline?added=${added}`);
  }

  const field = intent.data.intent === "update-section" ? intent.data.field : null;
  const editable: readonly string[] = field ? [field] : DETAIL_FIELDS;
  const submitted = Object.fromEntries(Object.entries(values).filter(([key]) => editable.includes(key)));
  const result = validateIncident(mergeEditedFields(incident, submitted), incidentVocabulary());
  if (!result.ok) return reject({ intent: intent.data.intent, field, errors: result.errors, values }, 400);
  const saved = updateIncident(id, result.data, author, { expectedVersion: formVersion(values) });
  if (!saved.ok && saved.reason === "conflict") {
    const message = conflictMessage(saved.changedBy, saved.current.timeZone);
    const theirs = incidentFormValues(saved.current);
    return reject(
      { intent: intent.data.intent, field, errors: { [field ?? "form"]: message }, values, conflict: { message, version: saved.current.version, theirs } },
      409,
    );
  }
  if (!saved.ok) throw notFound();
  return redirect(`/incidents/${id}`);
}

export default function IncidentOverview() {
  const { facts, notices, sections, formValues: current, revision, version, health, similar, categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as Rejection | undefined;
  const detailsRejected = actionData?.intent === "update-details" ? actionData : null;
  return (
    <>
      {notices.map((notice) => (
        <p key={notice} className="notice" role="status">
          {notice}
        </p>
      ))}
      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl className="facts">
          {facts.map(([label, value]) => (
            <div key={label} className="contents">
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <EditorsOnly>
        <details className="edit" open={Boolean(detailsRejected)} key={revision}>
          <summary>Edit details</summary>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="update-details" />
            <input type="hidden" name="version" value={detailsRejected?.conflict?.version ?? version} />
            {detailsRejected?.conflict ? (
              <ConflictNotice conflict={detailsRejected.conflict} yours={detailsRejected.values} fields={DETAIL_FIELDS} />
            ) : (
              <FormErrors errors={detailsRejected?.errors} />
            )}
            <IncidentFields
              idPrefix="details"
              categories={categories}
              values={detailsRejected ? { ...current, ...detailsRejected.values } : current}
              errors={detailsRejected && !detailsRejected.conflict ? detailsRejected.errors : undefined}
            />
            <button type="submit" className="primary">
              Save details
            </button>
          </Form>
        </details>
        </EditorsOnly>
      </section>

      <IncidentHealth windows={health.windows} incident={health.times}>
        {health.pending > 0 ? (
          <EditorsOnly>
            <Form method="post" className="row-actions">
              <input type="hidden" name="intent" value="add-monitor-events" />
              <button type="submit" className="primary">
                Add {health.pending === 1 ? "the monitor's state change" : `the monitors' ${health.pending} state changes`} to the timeline
              </button>
              <span className="hint">As detection entries marked as from the monitor.</span>
            </Form>
          </EditorsOnly>
        ) : null}
      </IncidentHealth>

      {sections.map((section) => (
        <EditableSection
          key={`${section.field}-${revision}`}
          {...section}
          value={current[section.field]}
          version={version}
          rejected={actionData?.intent === "update-section" && actionData.field === section.field ? actionData : null}
        />
      ))}

      <SimilarIncidents items={similar} />

      <EditorsOnly>
      <section className="card" aria-labelledby="danger-heading">
        <h2 id="danger-heading">Delete</h2>
        <details className="edit danger">
          <summary>Delete this incident…</summary>
          <Form method="post">
            <p>This removes the incident with its timeline and corrective actions.</p>
            <button type="submit" name="intent" value="delete-incident" className="danger">
              Delete incident
            </button>
          </Form>
        </details>
      </section>
      </EditorsOnly>
    </>
  );
}

function EditableSection({
  field,
  title,
  html,
  value,
  version,
  rejected,
}: {
  field: SectionField;
  title: string;
  html: string;
  value: string;
  version: number;
  rejected: Rejection | null;
}) {
  const headingId = `${field}-heading`;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {html ? (
        <div className="markdown" data-testid={`${field}-html`} dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <p className="empty">Not written yet.</p>
      )}
      <EditorsOnly>
      <details className="edit" open={Boolean(rejected)}>
        <summary>Edit {title.toLowerCase()}</summary>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="update-section" />
          <input type="hidden" name="field" value={field} />
          <input type="hidden" name="version" value={rejected?.conflict?.version ?? version} />
          {rejected?.conflict ? <ConflictNotice conflict={rejected.conflict} yours={rejected.values} fields={[field]} /> : <FormErrors errors={rejected?.errors} />}
          <TextAreaField
            name={field}
            label={`${title} (Markdown)`}
            rows={8}
            defaultValue={rejected ? rejected.values[field] : value}
            error={rejected?.conflict ? undefined : rejected?.errors[field]}
          />
          <button type="submit" className="primary">
            Save {title.toLowerCase()}
          </button>
        </Form>
      </details>
      </EditorsOnly>
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="incident" />;
}

/** Both versions side by side, for the fields where they differ. */
function ConflictNotice({ conflict, yours, fields }: { conflict: NonNullable<Rejection["conflict"]>; yours: Record<string, string>; fields: readonly string[] }) {
  const differing = fields.filter((field) => (conflict.theirs[field] ?? "") !== (yours[field] ?? ""));
  return (
    <div className="conflict" role="alert">
      <p>
        <strong>{conflict.message}</strong>
      </p>
      {differing.length ? (
        <table>
          <caption className="sr-only">Their version and yours</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Their version (saved)</th>
              <th scope="col">Your version (not saved)</th>
            </tr>
          </thead>
          <tbody>
            {differing.map((field) => (
              <tr key={field}>
                <th scope="row">{FIELD_LABELS[field] ?? field}</th>
                <td>
                  <pre className="version-text" data-testid="their-version">{conflict.theirs[field]}</pre>
                </td>
                <td>
                  <pre className="version-text" data-testid="your-version">{yours[field]}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
