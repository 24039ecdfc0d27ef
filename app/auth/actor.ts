import type { ApiTokenScope, Role } from "~/lib/roles";

/** Who is making a request: a logged-in user or an API token. */
export type Actor =
  | { kind: "user"; userId: number; name: string; email: string; role: Role }
  | { kind: "token"; tokenId: number; name: string; scope: ApiTokenScope };

/** How a change is attributed in History. */
export type Author = { userId: number | null; name: string };

export function authorOf(actor: Actor): Author {
  return actor.kind === "user" ? { userId: actor.userId, name: actor.name } : { userId: null, name: `API token "${actor.name}"` };
}

/** Changes made by Hindsight itself (the example incident, imports run from the CLI). */
export const SYSTEM_AUTHOR: Author = { userId: null, name: "Hindsight" };
