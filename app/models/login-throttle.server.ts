import { and, eq, gt, lt, min, sql } from "drizzle-orm";

import { getDb } from "~/db/client.server";
import { loginFailures } from "~/db/schema";

// Failed logins are counted per account and address in a sliding window, so one
// attacker cannot lock a colleague out from another address.
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_FAILURES = 10;

function key(email: string) {
  return email.trim().toLowerCase();
}

/** When the account may be tried again from this address, or null when it may be tried now. */
export function loginBlockedUntil(email: string, address: string, now = Date.now()): number | null {
  const since = now - LOGIN_WINDOW_MS;
  const row = getDb()
    .select({ count: sql<number>`count(*)`, oldest: min(loginFailures.at) })
    .from(loginFailures)
    .where(and(eq(loginFailures.email, key(email)), eq(loginFailures.address, address), gt(loginFailures.at, since)))
    .get();
  if (!row || row.count < MAX_FAILURES || row.oldest === null) return null;
  return row.oldest + LOGIN_WINDOW_MS;
}

export function recordLoginFailure(email: string, address: string, now = Date.now()) {
  const db = getDb();
  db.insert(loginFailures).values({ email: key(email), address, at: now }).run();
  // Old rows are useless; trim them as we go.
  db.delete(loginFailures).where(lt(loginFailures.at, now - LOGIN_WINDOW_MS)).run();
}

export function clearLoginFailures(email: string, address: string) {
  getDb().delete(loginFailures).where(and(eq(loginFailures.email, key(email)), eq(loginFailures.address, address))).run();
}
