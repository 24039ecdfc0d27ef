import type { AppLoadContext } from "@remix-run/node";

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

/** The actor behind a request; a 401 if somehow none (the gate should already have stopped it). */
export function requireActor(context: AppLoadContext): Actor {
  if (!context.actor) throw new Response("Log in first", { status: 401 });
  return context.actor;
}
