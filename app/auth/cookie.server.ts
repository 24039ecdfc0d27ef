import { createCookie, type Cookie } from "@remix-run/node";

import { SESSION_LIFETIME_MS } from "~/models/sessions.server";

import { sessionSecret } from "./secret.server";

let cookie: Cookie | undefined;

/** httpOnly, SameSite=Lax, signed with SESSION_SECRET; Secure whenever the request came over HTTPS. */
function sessionCookie(): Cookie {
  cookie ??= createCookie("hindsight_session", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secrets: [sessionSecret()],
    maxAge: SESSION_LIFETIME_MS / 1000,
  });
  return cookie;
}

export async function readSessionId(cookieHeader: string | null): Promise<string | null> {
  if (!cookieHeader) return null;
  const value = await sessionCookie().parse(cookieHeader);
  return typeof value === "string" && value ? value : null;
}

export function sessionCookieHeader(sessionId: string, secure: boolean): Promise<string> {
  return sessionCookie().serialize(sessionId, { secure });
}

export function clearedSessionCookieHeader(secure: boolean): Promise<string> {
  return sessionCookie().serialize("", { secure, maxAge: 0 });
}

/** A request counts as HTTPS when it arrived so, or a proxy in front says it did. */
export function isSecureRequest(request: Request): boolean {
  return new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
}
