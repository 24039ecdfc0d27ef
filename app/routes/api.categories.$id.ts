import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { requireActor } from "~/auth/context.server";
import { noContent, refuseUnlessAdmin } from "~/lib/api.server";
import { categoryJson } from "~/lib/api-format";
import { apiNotFound, methodNotAllowed, parseId } from "~/lib/http.server";
import { deleteCategory, getCategory } from "~/models/categories.server";

/** GET /api/categories/:id */
export async function loader({ params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  const category = id === null ? null : getCategory(id);
  return category ? json(categoryJson(category)) : apiNotFound("Category");
}

/** DELETE /api/categories/:id: admins only; 409 for a built-in category or one incidents use. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  if (request.method !== "DELETE") return methodNotAllowed(["GET", "DELETE"]);
  const refusal = refuseUnlessAdmin(requireActor(context));
  if (refusal) return refusal;
  const id = parseId(params.id);
  const result = id === null ? ({ ok: false, reason: "not_found" } as const) : deleteCategory(id);
  if (result.ok) return noContent();
  if (result.reason === "not_found") return apiNotFound("Category");
  return json({ error: result.message, errors: { category: result.message } }, { status: 409 });
}
