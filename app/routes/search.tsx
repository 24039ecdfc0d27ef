import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";

import { SeverityBadge, StatusBadge } from "~/components/badges";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { SelectField, TextField } from "~/components/forms";
import { formatDate } from "~/lib/time";
import { INCIDENT_STATUSES, INCIDENT_STATUS_LABELS, SEVERITIES } from "~/lib/vocabulary";
import { listCategoryNames } from "~/models/categories.server";
import { listServiceNames } from "~/models/incidents.server";
import { MATCH_END, MATCH_START, parseSearchQuery } from "~/review/search-query";
import { searchFilterErrors, searchIncidents, type SearchSection } from "~/review/search.server";

export const meta: MetaFunction = () => [{ title: "Search · Hindsight" }];

const PAGE_SIZE = 20;
const FIELDS = ["q", "from", "to", "severity", "status", "service", "category"] as const;

/** Where a hit lives: the incident's overview, its timeline or its corrective actions. */
function hitPath(incidentId: number, section: SearchSection): string {
  if (section === "timeline") return `/incidents/${incidentId}/timeline`;
  if (section === "action") return `/incidents/${incidentId}/actions`;
  return `/incidents/${incidentId}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const values = Object.fromEntries(FIELDS.map((name) => [name, params.get(name)?.trim() ?? ""])) as Record<(typeof FIELDS)[number], string>;
  const page = Math.max(1, Math.floor(Number(params.get("page"))) || 1);
  const facets = { services: listServiceNames(), categories: listCategoryNames() };
  const errors = searchFilterErrors(values);
  const parsed = parseSearchQuery(values.q);
  const base = { values, page, pageCount: 1, facets, errors, results: [], total: 0, limited: false, truncated: parsed.truncated, notice: null as string | null };
  if (Object.keys(errors).length) return json(base, { status: 400 });
  if (!parsed.match) {
    const notice = !values.q
      ? null
      : parsed.onlyExcluded
        ? "A word with a minus only leaves matches out: add a word to search for."
        : "There is nothing to search for in that: use letters or digits.";
    return json({ ...base, notice });
  }

  const outcome = searchIncidents({ ...values, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const results = outcome.results.map(({ incident, hits }) => ({
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    services: incident.services,
    category: incident.category,
    started: incident.startedAt === null ? "Start unknown" : formatDate(incident.startedAt, incident.timeZone),
    hits: hits.map((hit) => ({ key: `${hit.section}-${hit.refId}`, label: hit.label, path: hitPath(incident.id, hit.section), snippet: hit.snippet })),
  }));
  return json({
    ...base,
    results,
    total: outcome.total,
    limited: outcome.limited ?? false,
    pageCount: Math.max(1, Math.ceil(outcome.total / PAGE_SIZE)),
    notice: outcome.error ?? null,
  });
}

/** A snippet with its matches in <mark>: the markers come from the index, the text is rendered as text. */
function Snippet({ text }: { text: string }) {
  const parts: { text: string; marked: boolean }[] = [];
  let marked = false;
  let current = "";
  for (const char of text) {
    if (char === MATCH_START || char === MATCH_END) {
      if (current) parts.push({ text: current, marked });
      current = "";
      marked = char === MATCH_START;
    } else current += char;
  }
  if (current) parts.push({ text: current, marked });
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>{part.marked ? <mark>{part.text}</mark> : part.text}</Fragment>
      ))}
    </>
  );
}

export default function SearchPage() {
  const { values, page, pageCount, facets, errors, results, total, limited, truncated, notice } = useLoaderData<typeof loader>();
  const fieldErrors = errors as Record<string, string>;
  const pageLink = (target: number) => `?${new URLSearchParams({ ...values, page: String(target) })}`;
  const filtered = FIELDS.some((name) => name !== "q" && values[name]);
  return (
    <>
      <h1>Search past outages</h1>
      <Form method="get" className="card filters" role="search" aria-label="Search incidents">
        <TextField name="q" label="Words" type="search" defaultValue={values.q} />
        <TextField name="from" label="Started from" type="date" defaultValue={values.from} error={fieldErrors.from} />
        <TextField name="to" label="Started until" type="date" defaultValue={values.to} error={fieldErrors.to} />
        <SelectField name="severity" label="Severity" includeBlank="Any" options={SEVERITIES} defaultValue={values.severity} error={fieldErrors.severity} />
        <SelectField
          name="status"
          label="Status"
          includeBlank="Any"
          options={INCIDENT_STATUSES.map((value) => ({ value, label: INCIDENT_STATUS_LABELS[value] }))}
          defaultValue={values.status}
          error={fieldErrors.status}
        />
        <SelectField name="service" label="Service" includeBlank="Any" options={facets.services} defaultValue={values.service} />
        <SelectField name="category" label="Cause category" includeBlank="Any" options={facets.categories} defaultValue={values.category} />
        <button type="submit" className="primary">
          Search
        </button>
        {values.q || filtered ? <Link to="/search">Clear</Link> : null}
      </Form>

      {!values.q ? (
        <p className="hint">
          Type words found anywhere in a postmortem: its title, summary, root cause, resolution, lessons, impact, trigger, timeline or
          corrective actions. Every word must match; <code>&quot;a phrase&quot;</code> matches words together, <code>pool*</code> matches
          words starting with pool, <code>-word</code> leaves out incidents that mention that word anywhere, <code>a OR b</code> matches either. Case and
          accents do not matter. Dates are UTC days.
        </p>
      ) : notice ? (
        <p className="form-errors" role="alert">
          {notice}
        </p>
      ) : Object.keys(fieldErrors).length ? null : (
        <>
          <p className="hint" aria-live="polite">
            {limited
              ? `${total} of the most recent incidents match. These words are in so many places that only the most recent incidents were ranked: add a word or a date range to look further back.`
              : `${total === 1 ? "1 incident matches" : `${total} incidents match`}.`}{" "}
            Dates are UTC days.
            {truncated ? " Only the first 30 words (500 characters) were searched." : ""}
          </p>
          {results.length ? (
            <ol className="search-results">
              {results.map((result) => (
                <li key={result.id} className="card" data-testid="search-result">
                  <h2>
                    <Link to={`/incidents/${result.id}`}>{result.title}</Link>
                  </h2>
                  <p className="incident-header">
                    <SeverityBadge severity={result.severity} />
                    <StatusBadge status={result.status} />
                    <span>{result.started}</span>
                    {result.services.length ? <span>{result.services.join(", ")}</span> : null}
                    {result.category ? <span>{result.category}</span> : null}
                  </p>
                  <ul>
                    {result.hits.map((hit) => (
                      <li key={hit.key} data-testid="search-hit">
                        <Link to={hit.path}>{hit.label}</Link>: <Snippet text={hit.snippet} />
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          ) : (
            <p className="empty">No incident matches. Try fewer words, a word&apos;s beginning with *, or wider dates.</p>
          )}
          {pageCount > 1 ? (
            <nav className="row-actions" aria-label="Pages">
              {page > 1 ? <Link to={pageLink(page - 1)}>← Better matches</Link> : null}
              <span>
                Page {page} of {pageCount}
              </span>
              {page < pageCount ? <Link to={pageLink(page + 1)}>More matches →</Link> : null}
            </nav>
          ) : null}
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="search" />;
}
