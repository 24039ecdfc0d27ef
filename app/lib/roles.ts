// Who may do what. Pure: shared by the gate, pages and the CLI.

export const ROLES = ["viewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  viewer: "Viewer: reads everything, changes nothing",
  editor: "Editor: writes incidents, timelines and actions",
  admin: "Admin: also users, tokens and settings",
};

export const API_TOKEN_SCOPES = ["read", "write", "ingest"] as const;
export type ApiTokenScope = (typeof API_TOKEN_SCOPES)[number];

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** A write token may also read; an ingest token may only ingest. */
export function scopeAllows(scope: ApiTokenScope, needed: ApiTokenScope): boolean {
  if (scope === needed) return true;
  return scope === "write" && needed === "read";
}
