import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors, TextAreaField } from "~/components/forms";
import { IncidentFields } from "~/components/incident-fields";
import { formValues, notFound, requireId } from "~/lib/http.server";
import { incidentFormValues } from "~/lib/incident-form";
import { markdownToSafeHtml } from "~/lib/markdown.server";
import { formatDuration, formatInstant } from "~/lib/time";
import { INCIDENT_FIELDS, validateIncident } from "~/lib/validation";
import { INCIDENT_STATUS_LABELS, OPEN_INCIDENT_STATUSES, SEVERITY_LABELS } from "~/lib/vocabulary";
import { deleteIncident, getIncident, updateIncident } from "~/models/incidents.server";
import { formatPercent } from "~/postmortem/render";

const SECTIONS = [
  { field: "summary", title: "Summary" },
  { field: "rootCause", title: "Root cause" },
  { field: "resolution", title: "Resolution" },
  { field: "lessons", title: "Lessons learned" },
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
  return json({
    id: incident.id,
    // Changes on every save: editors are keyed by it, so a saved editor closes and shows the stored text.
    revision: incident.updatedAt,
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
        [incident.impactPercent === null ? null : `${formatPercent(incident.impactPercent)} of users`, incident.impactDescription || null]
          .filter(Boolean)
          .join(". ") || "not stated",
      ],
      ["Affected services", incident.services.join(", ") || "none listed"],
    ] as [string, string][],
    sections: SECTIONS.map(({ field, title }) => ({
      field,
      title,
      html: incident[field] ? markdownToSafeHtml(incident[field]) : "",
    })),
    formValues: incidentFormValues(incident),
  });
}

const intentSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("update-details") }),
  z.object({ intent: z.literal("update-section"), field: z.enum(SECTIONS.map((section) => section.field)) }),
  z.object({ intent: z.literal("delete-incident") }),
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const id = requireId(params.id);
  const incident = getIncident(id);
  if (!incident) throw notFound();
  const values = formValues(await request.formData());
  const intent = intentSchema.safeParse(values);
  if (!intent.success) return json({ intent: null, field: null, errors: { form: "Unknown request" }, values }, { status: 400 });

  if (intent.data.intent === "delete-incident") {
    deleteIncident(id);
    return redirect("/incidents");
  }

  const editable: readonly string[] = intent.data.intent === "update-section" ? [intent.data.field] : DETAIL_FIELDS;
  const submitted = Object.fromEntries(Object.entries(values).filter(([key]) => editable.includes(key)));
  const result = validateIncident({ ...incidentFormValues(incident), ...submitted });
  const field = intent.data.intent === "update-section" ? intent.data.field : null;
  if (!result.ok) return json({ intent: intent.data.intent, field, errors: result.errors, values }, { status: 400 });
  updateIncident(id, result.data);
  return redirect(`/incidents/${id}`);
}

export default function IncidentOverview() {
  const { facts, notices, sections, formValues: current, revision } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const detailsRejected = actionData?.intent === "update-details";
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
            <div key={label} style={{ display: "contents" }}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <details className="edit" open={detailsRejected} key={revision}>
          <summary>Edit details</summary>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="update-details" />
            <FormErrors errors={detailsRejected ? actionData.errors : null} />
            <IncidentFields
              idPrefix="details"
              values={detailsRejected ? { ...current, ...actionData.values } : current}
              errors={detailsRejected ? actionData.errors : undefined}
            />
            <button type="submit" className="primary">
              Save details
            </button>
          </Form>
        </details>
      </section>

      {sections.map((section) => (
        <EditableSection
          key={`${section.field}-${revision}`}
          {...section}
          value={current[section.field]}
          rejected={actionData?.intent === "update-section" && actionData.field === section.field ? actionData : null}
        />
      ))}

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
    </>
  );
}

function EditableSection({
  field,
  title,
  html,
  value,
  rejected,
}: {
  field: SectionField;
  title: string;
  html: string;
  value: string;
  rejected: { errors: Record<string, string>; values: Record<string, string> } | null;
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
      <details className="edit" open={Boolean(rejected)}>
        <summary>Edit {title.toLowerCase()}</summary>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="update-section" />
          <input type="hidden" name="field" value={field} />
          <FormErrors errors={rejected?.errors} />
          <TextAreaField
            name={field}
            label={`${title} (Markdown)`}
            rows={8}
            defaultValue={rejected ? rejected.values[field] : value}
            error={rejected?.errors[field]}
          />
          <button type="submit" className="primary">
            Save {title.toLowerCase()}
          </button>
        </Form>
      </details>
    </section>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="incident" />;
}
