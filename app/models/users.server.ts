import { and, asc, eq, isNull, sql } from "drizzle-orm";

import { hashPassword } from "~/auth/password.server";
import { getDb } from "~/db/client.server";
import { sessions, users, type UserRow } from "~/db/schema";
import type { Role } from "~/lib/roles";

export type User = Omit<UserRow, "passwordHash">;

const publicColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  deactivatedAt: users.deactivatedAt,
  createdAt: users.createdAt,
  updatedAt: users.updatedAt,
};

export function countUsers(): number {
  return getDb().select({ count: sql<number>`count(*)` }).from(users).get()?.count ?? 0;
}

export function listUsers(): User[] {
  return getDb().select(publicColumns).from(users).orderBy(asc(users.name)).all();
}

export function getUser(id: number): User | null {
  return getDb().select(publicColumns).from(users).where(eq(users.id, id)).get() ?? null;
}

/** The user with this email (any case), with the password hash, for logging in. */
export function findUserForLogin(email: string): UserRow | null {
  return getDb().select().from(users).where(sql`${users.email} = ${email.trim()} collate nocase`).get() ?? null;
}

export class DuplicateEmailError extends Error {
  constructor(email: string) {
    super(`A user with the email ${email} already exists`);
  }
}

export async function createUser(
  input: { email: string; name: string; role: Role; password: string },
  now = Date.now(),
): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  return getDb().transaction((tx) => {
    const existing = tx.select({ id: users.id }).from(users).where(sql`${users.email} = ${input.email} collate nocase`).get();
    if (existing) throw new DuplicateEmailError(input.email);
    return tx
      .insert(users)
      .values({ email: input.email, name: input.name, role: input.role, passwordHash, createdAt: now, updatedAt: now })
      .returning(publicColumns)
      .get();
  });
}

/**
 * Creates the first admin, but only while there are no users: two people
 * racing through the setup page cannot both become admin.
 */
export async function createFirstAdmin(input: { email: string; name: string; password: string }, now = Date.now()): Promise<User | null> {
  const passwordHash = await hashPassword(input.password);
  return getDb().transaction((tx) => {
    const count = tx.select({ count: sql<number>`count(*)` }).from(users).get()?.count ?? 0;
    if (count > 0) return null;
    return tx
      .insert(users)
      .values({ ...input, role: "admin", passwordHash, createdAt: now, updatedAt: now })
      .returning(publicColumns)
      .get();
  }, { behavior: "immediate" });
}

export function setUserRole(id: number, role: Role, now = Date.now()): User | null {
  return getDb().update(users).set({ role, updatedAt: now }).where(eq(users.id, id)).returning(publicColumns).get() ?? null;
}

/** Deactivating ends the user's sessions at once. */
export function setUserActive(id: number, active: boolean, now = Date.now()): User | null {
  return getDb().transaction((tx) => {
    const user = tx
      .update(users)
      .set({ deactivatedAt: active ? null : now, updatedAt: now })
      .where(eq(users.id, id))
      .returning(publicColumns)
      .get();
    if (user && !active) {
      tx.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, id), isNull(sessions.revokedAt))).run();
    }
    return user ?? null;
  });
}

export async function setUserPassword(id: number, password: string, now = Date.now()): Promise<boolean> {
  const passwordHash = await hashPassword(password);
  return getDb().update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, id)).run().changes > 0;
}

export function countActiveAdmins(): number {
  return (
    getDb()
      .select({ count: sql<number>`count(*)` })
      .from(users)
      .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt)))
      .get()?.count ?? 0
  );
}
