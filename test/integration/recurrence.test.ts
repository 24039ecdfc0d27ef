// Recurrence on a real SQLite file (FTS5 index and all): which past incidents are most like an
// incident, and when an incident repeats a recent one.
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { correctiveActions, history, incidentServices, incidents, services, timelineEntries } from "~/db/schema";
import type { IncidentInput } from "~/lib/validation";
import type { ActionStatus } from "~/lib/vocabulary";
import { addAction, setActionStatus } from "~/models/actions.server";
import { createIncident, deleteIncident } from "~/models/incidents.server";
import { repeatOf, similarIncidents, significantWords, wordWeight } from "~/review/recurrence.server";

const AUTHOR = { userId: null, name: "Test" };
const DAY = 86_400_000;
const BASE = Date.UTC(2025, 2, 1, 12, 0);

type Spec = { title: string; daysAfterBase: number; services?: string[]; category?: string | null; rootCause?: string };

/** An incident started `daysAfterBase` days after BASE, with its category set as a form would store it. */
function incident(spec: Spec): number {
  const startedAt = BASE + spec.daysAfterBase * DAY;
  const input = {
    title: spec.title,
    severity: "SEV2",
    status: "resolved",
    timeZone: "UTC",
    startedAt,
    detectedAt: startedAt,
    mitigatedAt: null,
    resolvedAt: startedAt + 3_600_000,
    impactPercent: null,
    impactDescription: "",
    services: spec.services ?? [],
    category: null,
    trigger: null,
    detectionMethod: null,
    summary: "",
    rootCause: spec.rootCause ?? "",
    resolution: "",
    lessons: "",
    unplaced: "",
  } as IncidentInput;
  const { id } = createIncident(input, AUTHOR, startedAt);
  getDb().update(incidents).set({ category: spec.category ?? null }).where(eq(incidents.id, id)).run();
  return id;
}

function action(incidentId: number, title: string, status: ActionStatus, owner: string | null = "Ana", dueDate: string | null = "2025-04-01") {
  const created = addAction(incidentId, { title, details: "", type: "prevent", owner, dueDate, priority: "P2", status: "open", trackerUrl: null }, AUTHOR)!;
  if (status !== "open") setActionStatus(created.id, status, AUTHOR);
  return created.id;
}

beforeEach(() => {
  const db = getDb();
  for (const table of [history, correctiveActions, timelineEntries, incidentServices, incidents, services]) db.delete(table).run();
});

describe("words", () => {
  it("keeps the words that say something, as the search index spells them", () => {
    expect(significantWords("The root cause: Connection-pool exhausted by 3 slow queries on the DB (café)")).toEqual([
      "connection",
      "pool",
      "exhausted",
      "slow",
      "queries",
      "cafe",
    ]);
  });

  it("weighs a word nobody else uses near 1 and a word everybody uses near 0", () => {
    expect(wordWeight(1, 10_000)).toBeGreaterThan(0.9);
    expect(wordWeight(10_000, 10_000)).toBeCloseTo(0, 5);
    expect(wordWeight(10, 1000)).toBeGreaterThan(wordWeight(100, 1000));
  });
});

describe("similar past incidents", () => {
  function world() {
    const sameEverything = incident({
      title: "Bookings failed: connection pool exhausted",
      daysAfterBase: 10,
      services: ["booking database", "search"],
      category: "capacity",
      rootCause: "The connection pool was exhausted by slow report queries holding connections.",
    });
    const sameServiceOnly = incident({ title: "Disk full on the primary", daysAfterBase: 20, services: ["booking database"], rootCause: "Log volume filled the disk." });
    const sameCategoryOnly = incident({ title: "Search lagging at peak", daysAfterBase: 30, services: ["search"], category: "capacity", rootCause: "Too few replicas for the traffic." });
    const unrelated = incident({ title: "Payments deploy rolled back", daysAfterBase: 40, services: ["payments"], category: "deployment", rootCause: "A migration locked the ledger table." });
    const target = incident({
      title: "Checkout errors: database connection pool exhausted",
      daysAfterBase: 100,
      services: ["booking database", "checkout"],
      category: "capacity",
      rootCause: "Slow queries held every connection in the pool until it was exhausted.",
    });
    return { sameEverything, sameServiceOnly, sameCategoryOnly, unrelated, target };
  }

  it("puts the incident with the same service, category and root-cause words first, and says why", () => {
    const ids = world();
    action(ids.sameEverything, "Alert on pool saturation", "done");
    action(ids.sameEverything, "Move reports to a replica", "wont_do");
    action(ids.sameEverything, "Set a statement timeout", "in_progress");

    const similar = similarIncidents(ids.target);
    expect(similar.map((item) => item.id)).toEqual([ids.sameEverything, ids.sameServiceOnly, ids.sameCategoryOnly]);
    const [best, second, third] = similar;
    expect(best.reasons[0]).toBe("shares booking database");
    expect(best.reasons[1]).toBe("same category: capacity");
    expect(best.reasons[2]).toMatch(/^root cause mentions: /);
    for (const word of ["pool", "connection", "exhausted", "slow", "queries"]) expect(best.reasons.join(" ")).toContain(word);
    expect(best.score).toBeGreaterThan(second.score);
    expect(second.reasons).toEqual(["shares booking database"]);
    expect(second.score).toBe(3);
    expect(third.reasons).toEqual(["same category: capacity"]);
    expect(third.score).toBe(2);
    expect(best.actions).toMatchObject({ total: 3, done: 1, wontDo: 1 });
    expect(best.actions.pending.map((pending) => [pending.title, pending.status, pending.owner])).toEqual([["Set a statement timeout", "in_progress", "Ana"]]);
  });

  it("never lists a deleted incident, the incident itself, or one that started later", () => {
    const ids = world();
    const deleted = incident({
      title: "Checkout errors: database connection pool exhausted again",
      daysAfterBase: 90,
      services: ["booking database", "checkout"],
      category: "capacity",
      rootCause: "Slow queries held every connection in the pool until it was exhausted.",
    });
    deleteIncident(deleted, AUTHOR);
    const later = incident({
      title: "Checkout errors: database connection pool exhausted later",
      daysAfterBase: 110,
      services: ["booking database", "checkout"],
      category: "capacity",
      rootCause: "Slow queries held every connection in the pool until it was exhausted.",
    });
    const listed = similarIncidents(ids.target, 10).map((item) => item.id);
    expect(listed).not.toContain(deleted);
    expect(listed).not.toContain(later);
    expect(listed).not.toContain(ids.target);
    expect(listed).not.toContain(ids.unrelated);
    expect(listed[0]).toBe(ids.sameEverything);
    // The later one does see the target as its past.
    expect(similarIncidents(later)[0].id).toBe(ids.target);
  });

  it("finds nothing for the first incident and honours the limit", () => {
    const ids = world();
    expect(similarIncidents(ids.sameEverything)).toEqual([]);
    expect(similarIncidents(ids.target, 2)).toHaveLength(2);
  });
});

describe("repeats", () => {
  function pair(daysBetween: number, categories: [string | null, string | null], services: [string[], string[]] = [["booking database"], ["booking database", "checkout"]]) {
    const earlier = incident({ title: "Pool exhausted", daysAfterBase: 0, services: services[0], category: categories[0] });
    const later = incident({ title: "Pool exhausted again", daysAfterBase: daysBetween, services: services[1], category: categories[1] });
    return { earlier, later };
  }

  it("flags an incident with the same service and category within 90 days, with the earlier one's actions as they stand", () => {
    const { earlier, later } = pair(30, ["capacity", "capacity"]);
    action(earlier, "Alert on pool saturation", "done", "Ana", "2025-03-10");
    action(earlier, "Set a statement timeout", "open", null, null);
    action(earlier, "Move reports to a replica", "wont_do", "Bo", "2025-03-20");

    const repeat = repeatOf(later);
    expect(repeat).not.toBeNull();
    expect(repeat!.incident).toMatchObject({ id: earlier, title: "Pool exhausted", sharedServices: ["booking database"], daysBefore: 30, category: "capacity" });
    expect(repeat!.actions.map(({ title, status, owner, dueDate }) => ({ title, status, owner, dueDate }))).toEqual([
      { title: "Alert on pool saturation", status: "done", owner: "Ana", dueDate: "2025-03-10" },
      { title: "Set a statement timeout", status: "open", owner: null, dueDate: null },
      { title: "Move reports to a replica", status: "wont_do", owner: "Bo", dueDate: "2025-03-20" },
    ]);
    expect(repeat!.summary).toMatchObject({ total: 3, done: 1, wontDo: 1 });
    expect(repeat!.others).toBe(0);
    // Only the later one repeats: the earlier has nothing before it.
    expect(repeatOf(earlier)).toBeNull();
  });

  it("counts 90 days as within the window and 91 days as outside it", () => {
    expect(repeatOf(pair(90, ["capacity", "capacity"]).later)?.incident.daysBefore).toBe(90);
    getDb().delete(incidentServices).run();
    getDb().delete(incidents).run();
    expect(repeatOf(pair(91, ["capacity", "capacity"]).later)).toBeNull();
  });

  it("is not a repeat with a different category, without a category, without a shared service, or when the earlier one was deleted", () => {
    expect(repeatOf(pair(10, ["capacity", "deployment"]).later)).toBeNull();
    expect(repeatOf(pair(20, [null, null]).later)).toBeNull();
    expect(repeatOf(pair(25, ["unknown", "unknown"]).later)).toBeNull();
    expect(repeatOf(pair(30, ["capacity", "capacity"], [["search"], ["checkout"]]).later)).toBeNull();
    const { earlier, later } = pair(40, ["network", "network"]);
    expect(repeatOf(later)?.incident.id).toBe(earlier);
    deleteIncident(earlier, AUTHOR);
    expect(repeatOf(later)).toBeNull();
  });

  it("shows the most recent match and counts the others", () => {
    const first = incident({ title: "DNS outage", daysAfterBase: 0, services: ["edge"], category: "network" });
    const second = incident({ title: "DNS outage again", daysAfterBase: 40, services: ["edge"], category: "network" });
    const third = incident({ title: "DNS outage, third time", daysAfterBase: 80, services: ["edge"], category: "network" });
    const repeat = repeatOf(third)!;
    expect(repeat.incident.id).toBe(second);
    expect(repeat.others).toBe(1);
    expect(repeatOf(second)!.incident.id).toBe(first);
  });
});
