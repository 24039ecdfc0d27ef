import { createHash, randomBytes } from "node:crypto";

import { and, eq, gt, isNull } from "drizzle-orm";

import { getDb } from "~/db/client.server";
import { sessions, users } from "~/db/schema";

import type { User } from "./users.server";

/** Sessions last 30 days from their last use. */
export const SESSION_LIFETIME_MS = 30 * 86_400_000;
/** lastSeenAt is written at most this often, so reads do not all become writes. */
const TOUCH_INTERVAL_MS = 5 * 60_000;

export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

export function createSession(userId: number, meta: { userAgent?: string | null; address?: string | null }, now = Date.now()): string {
  const id = randomBytes(32).toString("base64url");
  getDb()
    .insert(sessions)
    .values({
      idHash: hashSecret(id),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + SESSION_LIFETIME_MS,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
      address: meta.address ?? null,
    })
    .run();
  return id;
}

/** The active user behind a session id, or null when it is unknown, expired, revoked or the user is deactivated. */
export function userForSession(id: string, now = Date.now()): User | null {
  const idHash = hashSecret(id);
  const db = getDb();
  const row = db
    .select({
      user: { id: users.id, email: users.email, name: users.name, role: users.role, deactivatedAt: users.deactivatedAt, createdAt: users.createdAt, updatedAt: users.updatedAt },
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), isNull(users.deactivatedAt)))
    .get();
  if (!row) return null;
  if (now - row.lastSeenAt > TOUCH_INTERVAL_MS) {
    db.update(sessions).set({ lastSeenAt: now, expiresAt: now + SESSION_LIFETIME_MS }).where(eq(sessions.idHash, idHash)).run();
  }
  return row.user;
}

export function revokeSession(id: string, now = Date.now()) {
  getDb().update(sessions).set({ revokedAt: now }).where(eq(sessions.idHash, hashSecret(id))).run();
}
