import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";

import { requireActor } from "~/auth/context.server";
import { created, readBody, refuseUnlessAdmin } from "~/lib/api.server";
import { categoryJson } from "~/lib/api-format";
import { apiErrors, methodNotAllowed } from "~/lib/http.server";
import { addCategory, listCategories } from "~/models/categories.server";

/** GET /api/categories: the cause-category vocabulary, with how many incidents use each. */
export async function loader() {
  return json({ categories: listCategories().map(categoryJson) });
}

/** POST /api/categories {"name": "..."}: admins only (checked here; the gate lets any writer through /api). */
export async function action({ request, context }: ActionFunctionArgs) {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  const refusal = refuseUnlessAdmin(requireActor(context));
  if (refusal) return refusal;
  const read = await readBody(request, ["name"]);
  if (!read.ok) return read.response;
  const result = addCategory(read.body.name);
  if (!result.ok) return apiErrors(result.errors);
  return created(categoryJson(result.category), `/api/categories/${result.category.id}`);
}
