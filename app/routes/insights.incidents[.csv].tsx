import type { LoaderFunctionArgs } from "@remix-run/node";

import { csvResponse, incidentsCsv } from "~/review/insights-csv";
import { incidentsForExport } from "~/review/insights-export.server";
import { readRange } from "~/review/insights-range";

/** GET /insights/incidents.csv?from=&to=: the incidents of the Insights range, one row each. */
export async function loader({ request }: LoaderFunctionArgs) {
  const result = readRange(new URL(request.url).searchParams);
  if (!result.ok) return rangeError(result.errors);
  return csvResponse(incidentsCsv(incidentsForExport(result.range)), "incidents", result.range);
}

function rangeError(errors: Partial<Record<string, string>>): Response {
  const text = Object.entries(errors).map(([field, message]) => `${field}: ${message}`).join("\n");
  return new Response(`${text}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
