import { and, desc, eq } from "drizzle-orm";

import type { Author } from "~/auth/actor";
import type { Db } from "~/db/client.server";
import { getDb } from "~/db/client.server";
import { history, type HistoryRow } from "~/db/schema";

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type EntityType = HistoryRow["entityType"];
export type Change = HistoryRow["change"];

/** Records one change in the same transaction as the change itself. */
export function recordChange(
  tx: Tx | Db,
  entry: {
    incidentId: number;
    entityType: EntityType;
    entityId: number;
    change: Change;
    author: Author;
    before: unknown;
    after: unknown;
    at: number;
  },
) {
  tx.insert(history)
    .values({
      incidentId: entry.incidentId,
      entityType: entry.entityType,
      entityId: entry.entityId,
      change: entry.change,
      userId: entry.author.userId,
      actor: entry.author.name,
      before: entry.before === null ? null : JSON.stringify(entry.before),
      after: entry.after === null ? null : JSON.stringify(entry.after),
      at: entry.at,
    })
    .run();
}

/** Who last changed a record and when: "changed by Ana at 4:42 PM" in a conflict message. */
export function lastChange(tx: Tx | Db, entityType: EntityType, entityId: number): { name: string; at: number } | null {
  const row = tx
    .select({ name: history.actor, at: history.at })
    .from(history)
    .where(and(eq(history.entityType, entityType), eq(history.entityId, entityId)))
    .orderBy(desc(history.at), desc(history.id))
    .get();
  return row ?? null;
}

export type HistoryEntry = Omit<HistoryRow, "before" | "after"> & {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

export function listHistory(incidentId: number, limit = 500): HistoryEntry[] {
  return getDb()
    .select()
    .from(history)
    .where(eq(history.incidentId, incidentId))
    .orderBy(desc(history.at), desc(history.id))
    .limit(limit)
    .all()
    .map((row) => ({
      ...row,
      before: row.before ? (JSON.parse(row.before) as Record<string, unknown>) : null,
      after: row.after ? (JSON.parse(row.after) as Record<string, unknown>) : null,
    }));
}
