// The cause-category vocabulary: the built-in defaults (drizzle/0005) and what admins add.
import { asc, eq, isNotNull, sql } from "drizzle-orm";

import { getDb } from "~/db/client.server";
import { categories, incidents } from "~/db/schema";
import { MAX_CATEGORY_LENGTH, requiredLine, zodFieldErrors, type IncidentVocabulary } from "~/lib/validation";

export type Category = {
  id: number;
  name: string;
  builtIn: boolean;
  /** Incidents naming it, deleted ones included (a restored incident keeps its category). */
  incidents: number;
};

/** Incidents per category name (lower case), deleted ones included. */
function usage(): Map<string, number> {
  const rows = getDb()
    .select({ name: incidents.category, count: sql<number>`count(*)` })
    .from(incidents)
    .where(isNotNull(incidents.category))
    .groupBy(incidents.category)
    .all();
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = (row.name ?? "").toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + row.count);
  }
  return counts;
}

/** Every category, alphabetically, with how many incidents use each. */
export function listCategories(): Category[] {
  const counts = usage();
  return getDb()
    .select({ id: categories.id, name: categories.name, builtIn: categories.builtIn })
    .from(categories)
    .orderBy(asc(sql`${categories.name} collate nocase`))
    .all()
    .map((row) => ({ ...row, incidents: counts.get(row.name.toLowerCase()) ?? 0 }));
}

export function getCategory(id: number): Category | null {
  return listCategories().find((category) => category.id === id) ?? null;
}

/** The names validation accepts as a cause category. */
export function listCategoryNames(): string[] {
  return getDb().select({ name: categories.name }).from(categories).orderBy(asc(sql`${categories.name} collate nocase`)).all().map((row) => row.name);
}

/** What validateIncident needs from the database. */
export function incidentVocabulary(): IncidentVocabulary {
  return { categories: listCategoryNames() };
}

export type CategoryResult = { ok: true; category: Category } | { ok: false; errors: Record<string, string> };

/** Adds a category: 1–60 characters on one line, new ignoring case. */
export function addCategory(name: unknown, now = Date.now()): CategoryResult {
  const parsed = requiredLine("Name", MAX_CATEGORY_LENGTH).safeParse(name);
  if (!parsed.success) return { ok: false, errors: { name: zodFieldErrors(parsed.error).form } };
  const db = getDb();
  return db.transaction((tx) => {
    const existing = tx.select({ name: categories.name }).from(categories).where(sql`${categories.name} = ${parsed.data} collate nocase`).get();
    if (existing) return { ok: false, errors: { name: `"${existing.name}" is already a category` } } as const;
    const row = tx.insert(categories).values({ name: parsed.data, builtIn: false, createdAt: now }).returning().get();
    return { ok: true, category: { id: row.id, name: row.name, builtIn: row.builtIn, incidents: 0 } } as const;
  });
}

export type DeleteResult = { ok: true } | { ok: false; reason: "not_found" } | { ok: false; reason: "refused"; message: string };

/** Deletes a category no incident uses; the built-in ones stay. */
export function deleteCategory(id: number): DeleteResult {
  return getDb().transaction((tx) => {
    const row = tx.select().from(categories).where(eq(categories.id, id)).get();
    if (!row) return { ok: false, reason: "not_found" } as const;
    if (row.builtIn) return { ok: false, reason: "refused", message: `"${row.name}" is built in and cannot be deleted` } as const;
    const used = tx
      .select({ all: sql<number>`count(*)`, deleted: sql<number>`count(${incidents.deletedAt})` })
      .from(incidents)
      .where(sql`${incidents.category} = ${row.name} collate nocase`)
      .get() ?? { all: 0, deleted: 0 };
    if (used.all > 0) {
      const count = used.all === 1 ? "1 incident uses it" : `${used.all} incidents use it`;
      const deleted = used.deleted === 0 ? "" : used.all === 1 ? " (a deleted one, which can be restored)" : ` (${used.deleted} of them deleted, which can be restored)`;
      const fix = used.all === 1 ? "Change that incident's cause category first." : "Change those incidents' cause category first.";
      return { ok: false, reason: "refused", message: `"${row.name}" cannot be deleted: ${count}${deleted}. ${fix}` } as const;
    }
    tx.delete(categories).where(eq(categories.id, id)).run();
    return { ok: true } as const;
  });
}
