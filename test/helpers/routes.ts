// Calls route loaders and actions directly, as Remix would, against the test file's own database.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<unknown>;

export async function callLoader(handler: unknown, path: string, params: Record<string, string> = {}): Promise<Response> {
  const request = new Request(`http://localhost${path}`);
  return settle((handler as Handler)({ request, params, context: {} }));
}

export async function postForm(handler: unknown, path: string, fields: Record<string, string>, params: Record<string, string> = {}) {
  const request = new Request(`http://localhost${path}`, { method: "POST", body: new URLSearchParams(fields) });
  return settle((handler as Handler)({ request, params, context: {} }));
}

/** A thrown Response (404s) is returned like a returned one, so tests can read its status. */
async function settle(promise: Promise<unknown>): Promise<Response> {
  const result = await promise.catch((error) => error);
  if (!(result instanceof Response)) throw result;
  return result;
}
