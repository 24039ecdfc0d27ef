import type { LoaderFunctionArgs } from "@remix-run/node";

import { actionsCsv, csvResponse } from "~/review/insights-csv";
import { actionsForExport } from "~/review/insights-export.server";
import { readRange } from "~/review/insights-range";

/** GET /insights/actions.csv?from=&to=: the corrective actions of the incidents in the Insights range. */
export async function loader({ request }: LoaderFunctionArgs) {
  const result = readRange(new URL(request.url).searchParams);
  if (!result.ok) return rangeError(result.errors);
  return csvResponse(actionsCsv(actionsForExport(result.range)), "actions", result.range);
}

function rangeError(errors: Partial<Record<string, string>>): Response {
  const text = Object.entries(errors).map(([field, message]) => `${field}: ${message}`).join("\n");
  return new Response(`${text}\n`, { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
