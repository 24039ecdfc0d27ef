// Calls route loaders and actions directly, as Remix would, against the test file's own database.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

import type { Actor } from "~/auth/actor";

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<unknown>;

/** The actor the gate would have put in the load context: an editor, unless a test says otherwise. */
export const TEST_EDITOR: Actor = { kind: "user", userId: 1, name: "Eve Editor", email: "eve@example.com", role: "editor" };
export const TEST_AUTHOR = { userId: 1, name: "Eve Editor" };
export const TEST_ADMIN: Actor = { kind: "user", userId: 2, name: "Ada Admin", email: "ada@example.com", role: "admin" };

export async function callLoader(handler: unknown, path: string, params: Record<string, string> = {}, actor: Actor = TEST_EDITOR): Promise<Response> {
  const request = new Request(`http://localhost${path}`);
  return settle((handler as Handler)({ request, params, context: { actor } }));
}

export async function postForm(handler: unknown, path: string, fields: Record<string, string>, params: Record<string, string> = {}, actor: Actor = TEST_EDITOR) {
  const request = new Request(`http://localhost${path}`, { method: "POST", body: new URLSearchParams(fields) });
  return settle((handler as Handler)({ request, params, context: { actor } }));
}

/** A thrown Response (404s) is returned like a returned one, so tests can read its status. */
async function settle(promise: Promise<unknown>): Promise<Response> {
  const result = await promise.catch((error) => error);
  if (!(result instanceof Response)) throw result;
  return result;
}
