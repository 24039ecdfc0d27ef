import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";

import { RouteErrorBoundary } from "~/components/error-boundary";
import { EditorsOnly } from "~/components/user";
import { SelectField, TextField } from "~/components/forms";
import { IncidentTable } from "~/components/incident-table";
import { incidentSummaryView } from "~/lib/incident-view";
import { parseCalendarDate } from "~/lib/time";
import { matchCategory } from "~/lib/validation";
import { INCIDENT_STATUSES, INCIDENT_STATUS_LABELS, SEVERITIES, type IncidentStatus, type Severity } from "~/lib/vocabulary";
import { listCategoryNames } from "~/models/categories.server";
import { listIncidents, listServiceNames } from "~/models/incidents.server";

export const meta: MetaFunction = () => [{ title: "Incidents · Hindsight" }];

const PAGE_SIZE = 50;

function dayStart(text: string | null): number | null {
  if (!text) return null;
  const parsed = parseCalendarDate(text);
  return parsed.ok ? Date.parse(`${parsed.date}T00:00:00Z`) : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const status = params.get("status");
  const severity = params.get("severity");
  const from = params.get("from");
  const to = params.get("to");
  const page = Math.max(1, Number(params.get("page")) || 1);
  const toStart = dayStart(to);
  const categories = listCategoryNames();
  const filters = {
    status: INCIDENT_STATUSES.includes(status as IncidentStatus) ? (status as IncidentStatus) : null,
    severity: SEVERITIES.includes(severity as Severity) ? (severity as Severity) : null,
    service: params.get("service") || null,
    category: matchCategory(params.get("category") ?? "", categories),
    q: params.get("q") || null,
    from: dayStart(from),
    // The "to" day is included whole.
    to: toStart === null ? null : toStart + 86_400_000,
  };
  const { incidents, total } = listIncidents({ ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const now = Date.now();
  return json({
    incidents: incidents.map((incident) => incidentSummaryView(incident, now)),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    services: listServiceNames(),
    categories,
    values: Object.fromEntries(params.entries()),
    invalidDates: [from && dayStart(from) === null ? "from" : null, to && toStart === null ? "to" : null].filter(Boolean),
  });
}

export default function IncidentsIndex() {
  const { incidents, total, page, pageCount, services, categories, values, invalidDates } = useLoaderData<typeof loader>();
  const filtered = ["status", "severity", "service", "category", "q", "from", "to"].some((key) => values[key]);
  const pageLink = (target: number) => `?${new URLSearchParams({ ...values, page: String(target) })}`;
  return (
    <>
      <div className="section-head">
        <h1>Incidents</h1>
        <EditorsOnly>
          <Link to="/incidents/new">New incident</Link>
        </EditorsOnly>
      </div>
      <Form method="get" className="card filters" role="search" aria-label="Filter incidents">
        <TextField name="q" label="Title contains" defaultValue={values.q} />
        <SelectField
          name="status"
          label="Status"
          includeBlank="Any"
          options={INCIDENT_STATUSES.map((value) => ({ value, label: INCIDENT_STATUS_LABELS[value] }))}
          defaultValue={values.status}
        />
        <SelectField name="severity" label="Severity" includeBlank="Any" options={SEVERITIES} defaultValue={values.severity} />
        <SelectField name="service" label="Service" includeBlank="Any" options={services} defaultValue={values.service} />
        <SelectField name="category" label="Cause category" includeBlank="Any" options={categories} defaultValue={values.category} />
        <TextField
          name="from"
          label="Started from"
          type="date"
          defaultValue={values.from}
          error={invalidDates.includes("from") ? "Use a date such as 2024-06-01" : undefined}
        />
        <TextField
          name="to"
          label="Started until"
          type="date"
          defaultValue={values.to}
          error={invalidDates.includes("to") ? "Use a date such as 2024-06-30" : undefined}
        />
        <button type="submit" className="primary">
          Filter
        </button>
        {filtered ? <Link to="/incidents">Clear</Link> : null}
      </Form>
      <p className="hint" aria-live="polite">
        {total === 1 ? "1 incident" : `${total} incidents`}
        {filtered ? " match" : ""}. Dates are UTC days; times are shown in each incident&apos;s zone.
      </p>
      {incidents.length ? (
        <IncidentTable incidents={incidents} caption="Incidents, newest first" />
      ) : (
        <p className="empty">{filtered ? "No incident matches these filters." : "No incidents recorded yet."}</p>
      )}
      {pageCount > 1 ? (
        <nav className="row-actions" aria-label="Pages">
          {page > 1 ? <Link to={pageLink(page - 1)}>← Newer</Link> : null}
          <span>
            Page {page} of {pageCount}
          </span>
          {page < pageCount ? <Link to={pageLink(page + 1)}>Older →</Link> : null}
        </nav>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="list" />;
}
