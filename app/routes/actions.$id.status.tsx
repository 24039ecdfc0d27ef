import type { ActionFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { z } from "zod";

import { authorOf } from "~/auth/actor";
import { requireActor } from "~/auth/context.server";
import { formValues, notFound, requireId } from "~/lib/http.server";
import { safeRedirect } from "~/lib/safe-redirect";
import { ACTION_STATUSES } from "~/lib/vocabulary";
import { setActionStatus } from "~/models/actions.server";

/** Built when a form arrives, not at import: zod then stays out of the browser bundle. */
function statusSchema() {
  return z.object({
    status: z.enum(ACTION_STATUSES, { error: `Status must be one of ${ACTION_STATUSES.join(", ")}` }),
    redirectTo: z.string().optional(),
  });
}

/**
 * POST /actions/:id/status: the one-click status change. With JavaScript it is a
 * fetcher call and answers data, so the page stays where it is; a plain form post
 * is sent back to the page it came from.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const author = authorOf(requireActor(context));
  const id = requireId(params.id);
  const values = formValues(await request.formData());
  const parsed = statusSchema().safeParse(values);
  if (!parsed.success) return json({ ok: false, errors: { status: parsed.error.issues[0].message } }, { status: 400 });
  const updated = setActionStatus(id, parsed.data.status, author);
  // The buttons add respond=data once the page runs its scripts (Remix hides its own _data marker from actions).
  const fromScript = values.respond === "data";
  if (!updated) {
    // Deleted meanwhile: a script is told beside the buttons, rather than the whole page giving way to an error.
    if (fromScript) return json({ ok: false, errors: { status: "this action was deleted by someone else; reload the page" } }, { status: 404 });
    throw notFound("Corrective action not found");
  }
  if (fromScript) return json({ ok: true, status: updated.status });
  return redirect(safeRedirect(parsed.data.redirectTo, "/actions"));
}
