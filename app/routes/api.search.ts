import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { apiErrors, methodNotAllowed } from "~/lib/http.server";
import { toIsoInZone } from "~/lib/time";
import { parseSearchQuery } from "~/review/search-query";
import { searchFilterErrors, searchIncidents, type SearchResult } from "~/review/search.server";

function resultJson({ incident, score, hits }: SearchResult) {
  return {
    incident: { ...incident, startedAt: incident.startedAt === null ? null : toIsoInZone(incident.startedAt, incident.timeZone) },
    score,
    hits: hits.map(({ section, refId, snippet }) => ({ section, refId, snippet })),
  };
}

/**
 * GET /api/search?q=&from=&to=&severity=&status=&service=&category=&limit=&offset=
 * Snippets mark each matched word with U+E000 before it and U+E001 after it (never HTML).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const value = (name: string) => params.get(name)?.trim() || null;
  const input = {
    q: params.get("q") ?? "",
    from: value("from"),
    to: value("to"),
    severity: value("severity"),
    status: value("status"),
    service: value("service"),
    category: value("category"),
  };
  const errors = searchFilterErrors(input);
  const parsed = parseSearchQuery(input.q);
  if (!input.q.trim()) errors.q = "q is required: the words to search for";
  else if (!parsed.match) {
    errors.q = parsed.onlyExcluded
      ? "q only leaves words out (-word): add a word to search for"
      : "q has nothing to search for: use letters or digits";
  }
  const limit = Number(params.get("limit") ?? 20);
  const offset = Number(params.get("offset") ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) errors.limit = "limit must be a whole number from 1 to 100";
  if (!Number.isInteger(offset) || offset < 0) errors.offset = "offset must be a whole number, 0 or more";
  if (Object.keys(errors).length) return apiErrors(errors);

  const outcome = searchIncidents({ ...input, limit, offset });
  if (outcome.error) return apiErrors({ q: outcome.error });
  return json({
    results: outcome.results.map(resultJson),
    total: outcome.total,
    limit,
    offset,
    ...(outcome.limited ? { limited: true } : {}),
    ...(outcome.truncated ? { truncated: true } : {}),
  });
}

export async function action() {
  return methodNotAllowed(["GET"]);
}
