import type { AppLoadContext } from "@remix-run/node";

import { roleAtLeast } from "~/lib/roles";

import type { Actor } from "./actor";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Set by the gate in server.js for every request that passed it. */
    actor?: Actor | null;
    /** The CSP nonce of this response's inline scripts. */
    nonce?: string;
    /** The client's address, for login throttling. */
    address?: string;
  }
}

/** A page only writers use (the new-incident form, import): a viewer is told so instead of shown a form that cannot be saved. */
export function requireEditor(context: AppLoadContext, message: string): Actor {
  const actor = requireActor(context);
  if (actor.kind === "user" && !roleAtLeast(actor.role, "editor")) throw new Response(message, { status: 403 });
  return actor;
}

/** The actor behind a request; a 401 if somehow none (the gate should already have stopped it). */
export function requireActor(context: AppLoadContext): Actor {
  if (!context.actor) throw new Response("Log in first", { status: 401 });
  return context.actor;
}

/**
 * Admin pages and their forms: the gate already refuses everyone else; this is the second
 * lock, so a path the gate reads differently from the router can never open them.
 */
export function requireAdmin(context: AppLoadContext): Actor {
  const actor = requireActor(context);
  if (actor.kind !== "user" || actor.role !== "admin") throw new Response("Only admins can do this", { status: 403 });
  return actor;
}
