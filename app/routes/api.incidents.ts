import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { authorOf } from "~/auth/actor";
import { requireActor } from "~/auth/context.server";
import { created, incidentWithDetailsJson, readBody } from "~/lib/api.server";
import { incidentJson } from "~/lib/api-format";
import { apiErrors, methodNotAllowed } from "~/lib/http.server";
import { parseDateTimeInput } from "~/lib/time";
import { INCIDENT_FIELDS, matchCategory, validateIncident, type FieldErrors } from "~/lib/validation";
import { INCIDENT_STATUSES, SEVERITIES, type IncidentStatus, type Severity } from "~/lib/vocabulary";
import { incidentVocabulary, listCategoryNames } from "~/models/categories.server";
import { createIncident, listIncidents } from "~/models/incidents.server";

/** GET /api/incidents?status=&severity=&service=&category=&q=&from=&to=&limit=&offset= */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const errors: FieldErrors = {};
  const status = params.get("status");
  const severity = params.get("severity");
  if (status && !INCIDENT_STATUSES.includes(status as IncidentStatus)) errors.status = `Status must be one of ${INCIDENT_STATUSES.join(", ")}`;
  if (severity && !SEVERITIES.includes(severity as Severity)) errors.severity = `Severity must be one of ${SEVERITIES.join(", ")}`;
  const categoryText = params.get("category");
  const categories = categoryText ? listCategoryNames() : [];
  const category = categoryText ? matchCategory(categoryText, categories) : null;
  if (categoryText && !category) errors.category = `Cause category must be one of ${categories.join(", ")}`;
  // A date alone means that whole UTC day, as on the incidents page; an instant means itself.
  const instant = (name: "from" | "to") => {
    const value = params.get(name);
    if (!value) return null;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
    const parsed = parseDateTimeInput(dateOnly ? `${value} 00:00` : value, "UTC");
    if (!parsed.ok) {
      errors[name] = `${name} must be a date (2024-06-01) or an ISO 8601 instant`;
      return null;
    }
    return dateOnly && name === "to" ? parsed.ms + 86_400_000 : parsed.ms;
  };
  const from = instant("from");
  const to = instant("to");
  const limit = Number(params.get("limit") ?? 50);
  const offset = Number(params.get("offset") ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) errors.limit = "limit must be a whole number from 1 to 500";
  if (!Number.isInteger(offset) || offset < 0) errors.offset = "offset must be a whole number, 0 or more";
  if (Object.keys(errors).length) return apiErrors(errors);

  const result = listIncidents({
    status: status as IncidentStatus | null,
    severity: severity as Severity | null,
    service: params.get("service"),
    category,
    q: params.get("q"),
    from,
    to,
    limit,
    offset,
  });
  return json({ incidents: result.incidents.map(incidentJson), total: result.total, limit, offset });
}

/** POST /api/incidents */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const author = authorOf(requireActor(context));
  const read = await readBody(request, INCIDENT_FIELDS);
  if (!read.ok) return read.response;
  const result = validateIncident(read.body, incidentVocabulary());
  if (!result.ok) return apiErrors(result.errors);
  const incident = createIncident(result.data, author);
  return created(incidentWithDetailsJson(incident.id), `/api/incidents/${incident.id}`);
}
