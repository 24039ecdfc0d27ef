import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { actionJson } from "~/lib/api-format";
import { apiErrors, methodNotAllowed } from "~/lib/http.server";
import type { FieldErrors } from "~/lib/validation";
import { ACTION_STATUSES, ACTION_TYPES, type ActionStatus, type ActionType } from "~/lib/vocabulary";
import { listActions } from "~/models/actions.server";

/** GET /api/actions?status=&owner=&type=&overdue=true&sort=due|due_desc: every action across incidents. */
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const status = params.get("status");
  const type = params.get("type");
  const overdue = params.get("overdue");
  const sort = params.get("sort");
  const errors: FieldErrors = {};
  if (status && !ACTION_STATUSES.includes(status as ActionStatus)) errors.status = `status must be one of ${ACTION_STATUSES.join(", ")}`;
  if (type && !ACTION_TYPES.includes(type as ActionType)) errors.type = `type must be one of ${ACTION_TYPES.join(", ")}`;
  if (overdue && overdue !== "true" && overdue !== "false") errors.overdue = "overdue must be true or false";
  if (sort && sort !== "due" && sort !== "due_desc" && sort !== "created") errors.sort = "sort must be due, due_desc or created";
  if (Object.keys(errors).length) return apiErrors(errors);
  const actions = listActions({
    status: status as ActionStatus | null,
    type: type as ActionType | null,
    owner: params.get("owner"),
    overdue: overdue === "true",
    sort: (sort as "due" | "due_desc" | "created" | null) ?? "due",
  });
  return json({ actions: actions.map((action) => ({ ...actionJson(action), incidentTitle: action.incidentTitle })) });
}

/** Actions are created on their incident: POST /api/incidents/:id/actions. */
export async function action() {
  return methodNotAllowed(["GET"]);
}
