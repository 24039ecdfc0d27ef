import { json } from "@remix-run/node";

import type { FieldErrors } from "./validation";

/** Largest JSON body the API reads; a 2 MB summary still gets a field error, not a dropped connection. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** A route id parameter as a number, or null for anything that is not one. */
export function parseId(value: string | undefined): number | null {
  if (!value || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

/** A route id parameter as a number; anything else is a 404 page. */
export function requireId(value: string | undefined): number {
  const id = parseId(value);
  if (id === null) throw notFound();
  return id;
}

export function notFound(message = "Not found"): Response {
  return new Response(message, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

export function apiNotFound(what = "Record") {
  return json({ error: `${what} not found` }, { status: 404 });
}

export function apiErrors(errors: FieldErrors, status = 400) {
  return json({ errors }, { status });
}

export function methodNotAllowed(allowed: string[]) {
  return json({ error: `Method not allowed; use ${allowed.join(", ")}` }, { status: 405, headers: { Allow: allowed.join(", ") } });
}

/** Reads a JSON object body, or answers 400/413 the way every API route does. */
export async function readJsonObject(
  request: Request,
): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; response: Response }> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) {
    return { ok: false, response: json({ errors: { body: "Request body is larger than 5 MB" } }, { status: 413 }) };
  }
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) {
    return { ok: false, response: json({ errors: { body: "Request body is larger than 5 MB" } }, { status: 413 }) };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, response: apiErrors({ body: "Body must be a JSON object" }) };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, response: apiErrors({ body: "Body must be a JSON object" }) };
  }
  return { ok: true, body: body as Record<string, unknown> };
}

/** Form fields as plain strings (files are not expected anywhere in these forms). */
export function formValues(formData: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string") values[key] = value;
  }
  return values;
}
