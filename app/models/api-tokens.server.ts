import { randomBytes } from "node:crypto";

import { and, desc, eq, isNull } from "drizzle-orm";

import { getDb } from "~/db/client.server";
import { apiTokens, users } from "~/db/schema";
import type { ApiTokenScope } from "~/lib/roles";

import { hashSecret } from "./sessions.server";

export type ApiToken = {
  id: number;
  name: string;
  prefix: string;
  scope: ApiTokenScope;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
  createdByName: string | null;
};

const TOKEN_PREFIX = "hs_";
const LAST_USED_RESOLUTION_MS = 60_000;

/** Creates a token and returns it in the clear: the only time it is ever shown. */
export function createApiToken(input: { name: string; scope: ApiTokenScope; createdBy: number | null }, now = Date.now()) {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const row = getDb()
    .insert(apiTokens)
    .values({ name: input.name, scope: input.scope, createdBy: input.createdBy, tokenHash: hashSecret(token), prefix: token.slice(0, 10), createdAt: now })
    .returning({ id: apiTokens.id })
    .get();
  return { id: row.id, token };
}

/** The live token matching a bearer value, or null. */
export function authenticateApiToken(token: string, now = Date.now()): { id: number; name: string; scope: ApiTokenScope } | null {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const db = getDb();
  const row = db
    .select({ id: apiTokens.id, name: apiTokens.name, scope: apiTokens.scope, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashSecret(token)), isNull(apiTokens.revokedAt)))
    .get();
  if (!row) return null;
  if (!row.lastUsedAt || now - row.lastUsedAt > LAST_USED_RESOLUTION_MS) {
    db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id)).run();
  }
  return { id: row.id, name: row.name, scope: row.scope };
}

export function listApiTokens(): ApiToken[] {
  return getDb()
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scope: apiTokens.scope,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      createdByName: users.name,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdBy))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .all();
}

export function revokeApiToken(id: number, now = Date.now()): boolean {
  return getDb().update(apiTokens).set({ revokedAt: now }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).run().changes > 0;
}
