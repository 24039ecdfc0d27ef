import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { apiNotFound, parseId } from "~/lib/http.server";
import { reviewIncident } from "~/models/review.server";

/** GET /api/incidents/:id/review: the postmortem's review checklist. */
export async function loader({ params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const review = id === null ? null : reviewIncident(id);
  return review ? json(review) : apiNotFound("Incident");
}
