import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";

import { clearedSessionCookieHeader, isSecureRequest, readSessionId } from "~/auth/cookie.server";
import { revokeSession } from "~/models/sessions.server";

/** Logging out revokes the session in the database: a copied cookie stops working at once. */
export async function action({ request }: ActionFunctionArgs) {
  const sessionId = await readSessionId(request.headers.get("cookie"));
  if (sessionId) revokeSession(sessionId);
  return redirect("/login", { headers: { "Set-Cookie": await clearedSessionCookieHeader(isSecureRequest(request)) } });
}

export async function loader() {
  return redirect("/");
}
