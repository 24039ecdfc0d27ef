import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { authorOf } from "~/auth/actor";
import { requireActor } from "~/auth/context.server";
import { created, incidentWithDetailsJson } from "~/lib/api.server";
import { apiErrors, methodNotAllowed } from "~/lib/http.server";
import { normalizeTimeZone } from "~/lib/time";
import { listCategoryNames } from "~/models/categories.server";
import { saveImported } from "~/models/import.server";
import { parsePostmortem, parsedJson } from "~/postmortem/import/parse";

const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

/**
 * POST /api/import?dryRun=true&zone=GMT+1 with a text/markdown body: the parsed
 * incident (dry run) or the saved one (201), with warnings and unplaced text.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const params = new URL(request.url).searchParams;
  const zoneParam = params.get("zone");
  const zone = zoneParam ? normalizeTimeZone(zoneParam) : "UTC";
  if (!zone) return apiErrors({ zone: `Unknown time zone "${zoneParam}": use an IANA name such as Europe/Berlin or an offset such as GMT+3` });
  const dryRun = params.get("dryRun");
  if (dryRun !== null && dryRun !== "true" && dryRun !== "false") return apiErrors({ dryRun: "dryRun must be true or false" });
  const type = request.headers.get("content-type") ?? "";
  if (!/^text\/(markdown|plain|x-markdown)\b/i.test(type)) {
    return apiErrors({ body: "Send the document as Content-Type: text/markdown" }, 415);
  }
  const markdown = await request.text();
  if (markdown.length > MAX_DOCUMENT_BYTES) return apiErrors({ body: "The document is larger than 2 MB" }, 413);
  if (!markdown.trim()) return apiErrors({ body: "The document is empty" });

  const parsed = parsePostmortem(markdown, { defaultZone: zone, categories: listCategoryNames() });
  if (dryRun === "true") return json(parsedJson(parsed));
  const saved = saveImported(parsed, authorOf(requireActor(context)));
  if (!saved.ok) return apiErrors(saved.errors);
  return created({ ...incidentWithDetailsJson(saved.incident.id), warnings: parsed.warnings }, `/api/incidents/${saved.incident.id}`);
}

export async function loader() {
  return methodNotAllowed(["POST"]);
}
