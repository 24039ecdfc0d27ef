// The one gate every request to a page or API route passes (server.js calls it
// before Remix): who is asking, and may they do this? Routes added later are
// protected without doing anything.
import { roleAtLeast, scopeAllows, type ApiTokenScope } from "~/lib/roles";
import { authenticateApiToken } from "~/models/api-tokens.server";
import { userForSession } from "~/models/sessions.server";
import { countUsers } from "~/models/users.server";

import type { Actor } from "./actor";
import { readSessionId } from "./cookie.server";

export type GateRequest = { method: string; url: string; cookie: string | null; authorization: string | null };
export type GateDecision =
  | { type: "pass"; actor: Actor | null }
  | { type: "respond"; status: number; headers: Record<string, string>; body: string };

/** Paths anyone may open: the login and first-run pages, and Remix's route discovery. */
const PUBLIC_PATHS = new Set(["/login", "/setup", "/logout", "/__manifest"]);

type Need = "read" | "write" | "admin" | "ingest";

/** What a request needs: admin pages need an admin; any other non-read method needs write. */
export function needOf(method: string, path: string): Need {
  if (path === "/admin" || path.startsWith("/admin/")) return "admin";
  if (path.startsWith("/api/ingest/")) return "ingest";
  return method === "GET" || method === "HEAD" ? "read" : "write";
}

function allowed(actor: Actor, need: Need): boolean {
  if (actor.kind === "token") return need === "admin" ? false : scopeAllows(actor.scope, need as ApiTokenScope);
  if (need === "ingest") return false;
  if (need === "read") return true;
  return roleAtLeast(actor.role, need === "admin" ? "admin" : "editor");
}

let someoneExists = false;
function hasUsers(): boolean {
  // Users are never deleted, only deactivated, so once true this stays true.
  someoneExists ||= countUsers() > 0;
  return someoneExists;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): GateDecision {
  return { type: "respond", status, headers: { "Content-Type": "application/json; charset=utf-8", ...headers }, body: JSON.stringify(body) };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function redirect(location: string, isDataRequest: boolean): GateDecision {
  // Remix's client fetches data with ?_data=...: it follows redirects given in a header, not a 302.
  if (isDataRequest) return { type: "respond", status: 204, headers: { "X-Remix-Redirect": location, "X-Remix-Status": "302" }, body: "" };
  return { type: "respond", status: 302, headers: { Location: location }, body: "" };
}

function forbiddenPage(message: string): GateDecision {
  return {
    type: "respond",
    status: 403,
    headers: { "Content-Type": "text/html; charset=utf-8" },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not allowed · Hindsight</title><link rel="stylesheet" href="/app.css"></head><body><main class="error-page"><h1>Not allowed</h1><p>${escapeHtml(message)}</p><p><a href="/">Back to the dashboard</a></p></main></body></html>`,
  };
}

async function identify(request: GateRequest, isApi: boolean): Promise<Actor | null> {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? "")?.[1];
  if (isApi && bearer) {
    const token = authenticateApiToken(bearer);
    return token ? { kind: "token", tokenId: token.id, name: token.name, scope: token.scope } : null;
  }
  const sessionId = await readSessionId(request.cookie);
  const user = sessionId ? userForSession(sessionId) : null;
  return user ? { kind: "user", userId: user.id, name: user.name, email: user.email, role: user.role } : null;
}

/** Lower case, decoded, repeated and trailing slashes removed: what routing decisions compare. */
export function routePath(pathname: string): string {
  let decoded = pathname;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // Malformed escapes stay as written; the router will not match them either.
  }
  return decoded.toLowerCase().replace(/\/{2,}/g, "/").replace(/\/+$/, "") || "/";
}

export async function gate(request: GateRequest): Promise<GateDecision> {
  // The path as the router will match it: Remix matches routes ignoring case and empty
  // segments, so decisions are made on the same form ("/ADMIN//users" is /admin/users).
  // Built exactly as @remix-run/express builds the request's URL (origin + originalUrl).
  let url: URL;
  try {
    url = new URL(`http://hindsight.invalid${request.url}`);
  } catch {
    return { type: "respond", status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" }, body: "Bad request path" };
  }
  const path = routePath(url.pathname);
  const isApi = path === "/api" || path.startsWith("/api/");
  const isDataRequest = url.searchParams.has("_data");
  const method = request.method.toUpperCase();

  // A push monitor's heartbeat carries its own credential in the path (see api.push.$token.ts).
  if (path.startsWith("/api/push/")) return { type: "pass", actor: null };

  const actor = await identify(request, isApi);
  // Before the first admin exists only /setup is open; a token made with the CLI already works.
  if (!hasUsers() && actor?.kind !== "token") {
    if (PUBLIC_PATHS.has(path)) return { type: "pass", actor: null };
    if (isApi) return json(401, { error: "Hindsight is not set up yet: open /setup in a browser to create the first admin" });
    return redirect("/setup", isDataRequest);
  }

  if (PUBLIC_PATHS.has(path)) return { type: "pass", actor };

  if (!actor) {
    if (isApi) {
      return json(401, { error: "Log in or send an API token: Authorization: Bearer <token>" }, { "WWW-Authenticate": 'Bearer realm="hindsight"' });
    }
    const back = `${url.pathname}${url.search}`.replace(/([?&])_data=[^&]*&?/, "$1").replace(/[?&]$/, "");
    return redirect(`/login?redirectTo=${encodeURIComponent(back)}`, isDataRequest);
  }

  const need = needOf(method, path);
  if (!allowed(actor, need)) {
    const who = actor.kind === "user" ? `Your role (${actor.role})` : `This token's scope (${actor.scope})`;
    const what = need === "admin" ? "cannot administer Hindsight" : need === "ingest" ? "cannot send monitoring data" : need === "write" ? "can read but not change anything" : "cannot read this";
    const message = `${who} ${what}. Ask an admin if you need more.`;
    return isApi ? json(403, { error: message }) : forbiddenPage(message);
  }
  return { type: "pass", actor };
}
