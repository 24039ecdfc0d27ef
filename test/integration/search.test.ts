// Full-text search against a real SQLite file: the index follows every write at once (edits,
// deletes, restores, imports), ranking, filters, case and accents, and queries that look like
// FTS5 syntax or SQL; then the same queries through a real server, which must never answer 500.
import fs from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import type { ActionInput, IncidentInput, TimelineInput } from "~/lib/validation";
import { addAction, deleteAction, restoreAction, updateAction } from "~/models/actions.server";
import { saveImported } from "~/models/import.server";
import { createIncident, deleteIncident, restoreIncident, updateIncident } from "~/models/incidents.server";
import { addTimelineEntry, deleteTimelineEntry, restoreTimelineEntry, updateTimelineEntry } from "~/models/timeline.server";
import { parsePostmortem } from "~/postmortem/import/parse";
import { MATCH_END, MATCH_START, searchIncidents, type SearchInput } from "~/review/search.server";

import { startServer, type TestServer } from "../helpers/server";

const AUTHOR = { userId: null, name: "Test" };
const MINUTE = 60_000;

type Seed = Partial<IncidentInput> & { title: string; start: string };

function incidentInput(seed: Seed): IncidentInput {
  const { start, ...fields } = seed;
  return {
    severity: "SEV3",
    status: "resolved",
    timeZone: "UTC",
    startedAt: Date.parse(start),
    detectedAt: null,
    mitigatedAt: null,
    resolvedAt: null,
    impactPercent: null,
    impactDescription: "",
    services: [],
    summary: "",
    rootCause: "",
    resolution: "",
    lessons: "",
    unplaced: "",
    category: null,
    trigger: null,
    detectionMethod: null,
    ...fields,
  };
}

function incident(seed: Seed): number {
  return createIncident(incidentInput(seed), AUTHOR).id;
}

function entry(incidentId: number, text: string, minutes = 0): number {
  const input: TimelineInput = { occurredAt: Date.parse("2024-06-09T16:20:00Z") + minutes * MINUTE, text, kind: "note", author: null };
  return addTimelineEntry(incidentId, input, AUTHOR)!.id;
}

function actionInput(title: string, details = ""): ActionInput {
  return { title, details, type: "prevent", owner: null, dueDate: null, priority: "P2", status: "open", trackerUrl: null };
}

function action(incidentId: number, title: string, details = ""): number {
  return addAction(incidentId, actionInput(title, details), AUTHOR)!.id;
}

/** Queries that look like FTS5 syntax, SQL, or nothing at all. */
const odd = [
  '"', '""', '"unclosed phrase', "*", "pool*", "-", "-ledger", "-ledger -pool", "OR", "a OR", "AND", "NOT", "NEAR", "NEAR(a b)",
  "(", ")", "(pool", ":", "title:pool", "^", "^pool", "x".repeat(1_000), "🙂", "🔥🔥", "'; drop table incidents; --",
  "' OR 1=1 --", "%", "_", "\\", "\u0000", "\uE000", "select * from search_index",
];

const ids = (input: SearchInput) => searchIncidents(input).results.map((result) => result.incident.id);
const plain = (snippet: string) => snippet.replaceAll(MATCH_START, "[").replaceAll(MATCH_END, "]");

describe("what the index holds", () => {
  it("finds an incident by a word that is only in one of its timeline entries, with the section and a snippet", () => {
    const id = incident({ title: "Checkout errors after a deploy", start: "2024-03-01T10:00:00Z" });
    entry(id, "Priya noticed the kraken job had stalled on the payments queue");
    const outcome = searchIncidents({ q: "kraken" });
    expect(outcome.error).toBeUndefined();
    expect(outcome.total).toBe(1);
    expect(outcome.results[0].incident).toMatchObject({ id, title: "Checkout errors after a deploy", severity: "SEV3" });
    expect(outcome.results[0].hits).toEqual([
      expect.objectContaining({ section: "timeline", label: "Timeline", snippet: expect.stringContaining(`${MATCH_START}kraken${MATCH_END}`) }),
    ]);
    expect(plain(outcome.results[0].hits[0].snippet)).toBe("Priya noticed the [kraken] job had stalled on the payments queue");
  });

  it("labels each section an incident's text can be in", () => {
    const id = incident({
      title: "Marmot title",
      start: "2024-03-02T10:00:00Z",
      summary: "marmot in the summary",
      rootCause: "marmot in the root cause",
      resolution: "marmot in the resolution",
      lessons: "marmot in the lessons",
      impactDescription: "marmot in the impact",
      trigger: "marmot in the trigger",
    });
    entry(id, "marmot in the timeline");
    action(id, "Fix it", "marmot in the action's details");
    const sections = new Set<string>();
    // Three hits per incident on a page: ask for each section's word in turn.
    for (const where of ["title", "summary", "root cause", "resolution", "lessons", "impact", "trigger", "timeline", "details"]) {
      for (const hit of searchIncidents({ q: `marmot "${where}"` }).results.find((result) => result.incident.id === id)?.hits ?? []) sections.add(hit.label);
    }
    expect([...sections].sort()).toEqual(
      ["Corrective action", "Impact", "Lessons learned", "Resolution", "Root cause", "Summary", "Timeline", "Title", "Trigger"].sort(),
    );
  });

  it("finds an edited entry by its new word at once, and no longer by the old one", () => {
    const id = incident({ title: "Walrus week", start: "2024-03-03T10:00:00Z" });
    const entryId = entry(id, "The walrus cron job ran twice");
    expect(ids({ q: '"walrus cron"' })).toEqual([id]);
    const saved = updateTimelineEntry(entryId, { occurredAt: Date.parse("2024-03-03T10:05:00Z"), text: "The narwhal cron job ran twice", kind: "note", author: null }, AUTHOR);
    expect(saved.ok).toBe(true);
    expect(ids({ q: "narwhal" })).toEqual([id]);
    // A phrase: "walrus" and "cron" are both still in the incident (title and entry), no longer side by side.
    expect(ids({ q: '"walrus cron"' })).toEqual([]);
    // The incident's own title still says walrus.
    expect(ids({ q: "walrus" })).toEqual([id]);
  });

  it("leaves out a deleted entry, action and incident at once, and finds them again once restored", () => {
    const id = incident({ title: "Quokka outage", start: "2024-03-04T10:00:00Z" });
    const entryId = entry(id, "The gecko proxy dropped connections");
    const actionId = action(id, "Replace the iguana load balancer");
    expect(ids({ q: "gecko" })).toEqual([id]);
    expect(ids({ q: "iguana" })).toEqual([id]);

    expect(deleteTimelineEntry(entryId, AUTHOR)).toBe(true);
    expect(deleteAction(actionId, AUTHOR)).toBe(true);
    expect(ids({ q: "gecko" })).toEqual([]);
    expect(ids({ q: "iguana" })).toEqual([]);
    expect(restoreTimelineEntry(entryId, AUTHOR)).toBe(true);
    expect(restoreAction(actionId, AUTHOR)).toBe(true);
    expect(ids({ q: "gecko" })).toEqual([id]);
    expect(ids({ q: "iguana" })).toEqual([id]);

    // A deleted incident's entries stay in the index; the search leaves them out all the same.
    expect(deleteIncident(id, AUTHOR)).toBe(true);
    for (const word of ["quokka", "gecko", "iguana"]) expect(ids({ q: word }), word).toEqual([]);
    expect(restoreIncident(id, AUTHOR)).toBe(true);
    for (const word of ["quokka", "gecko", "iguana"]) expect(ids({ q: word }), word).toEqual([id]);
  });

  it("follows an incident's edited fields", () => {
    const id = incident({ title: "Tapir title", start: "2024-03-05T10:00:00Z", summary: "an okapi summary" });
    expect(ids({ q: "okapi" })).toEqual([id]);
    expect(updateIncident(id, incidentInput({ title: "Tapir title", start: "2024-03-05T10:00:00Z", summary: "a bonobo summary" }), AUTHOR).ok).toBe(true);
    expect(ids({ q: "okapi" })).toEqual([]);
    expect(ids({ q: "bonobo" })).toEqual([id]);
  });

  it("finds an imported postmortem by its summary, timeline and corrective actions", () => {
    const document = fs.readFileSync(path.resolve("test/fixtures/seed-postmortem.md"), "utf8");
    const saved = saveImported(parsePostmortem(document), AUTHOR);
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    const id = saved.incident.id;
    const sectionsOf = (q: string) => searchIncidents({ q }).results.find((result) => result.incident.id === id)?.hits.map((hit) => hit.label);
    expect(sectionsOf("airbnb")).toEqual(["Summary"]);
    expect(sectionsOf("mahari")).toEqual(["Timeline"]);
    expect(sectionsOf("failover mechanisms")).toEqual(["Corrective action"]);
  });
});

describe("words anywhere in a postmortem", () => {
  const labels = (q: string, id: number) => searchIncidents({ q }).results.find((result) => result.incident.id === id)?.hits.map((hit) => hit.label).sort();

  it("finds an incident by words in different sections, with a hit for each word", () => {
    const id = incident({ title: "Quetzal checkout errors", start: "2024-02-01T10:00:00Z", rootCause: "A wombat failover left the cache cold" });
    incident({ title: "Quetzal only", start: "2024-02-02T10:00:00Z" });
    const outcome = searchIncidents({ q: "quetzal wombat" });
    expect(outcome.results.map((result) => result.incident.id)).toEqual([id]);
    expect(outcome.total).toBe(1);
    expect(outcome.results[0].hits.map((hit) => [hit.label, plain(hit.snippet)])).toEqual([
      ["Title", "[Quetzal] checkout errors"],
      ["Root cause", "A [wombat] failover left the cache cold"],
    ]);
    expect(ids({ q: "wombat quetzal" })).toEqual([id]);
  });

  it("finds words in a timeline entry and a corrective action, and shows both among three hits", () => {
    const id = incident({ title: "Jackal week", start: "2024-02-03T10:00:00Z" });
    for (let index = 0; index < 4; index++) entry(id, `jackal alarm ${index}`, index);
    action(id, "Page the heron rota", "so the next one is seen sooner");
    expect(ids({ q: "jackal heron" })).toEqual([id]);
    // Five rows say jackal; the one that says heron is still shown.
    expect(labels("jackal heron", id)).toEqual(["Corrective action", "Timeline", "Title"]);
    expect(ids({ q: "alarm heron" })).toEqual([id]);
  });

  it("leaves out an incident that mentions an excluded word in any section", () => {
    const inTimeline = incident({ title: "Lynx login failures", start: "2024-02-04T10:00:00Z" });
    entry(inTimeline, "Kestrel restarted and logins came back");
    const inAction = incident({ title: "Lynx login timeouts", start: "2024-02-05T10:00:00Z" });
    action(inAction, "Add a kestrel health check");
    const inSummary = incident({ title: "Lynx login loop", start: "2024-02-06T10:00:00Z", summary: "The kestrel pool was drained" });
    const inTitle = incident({ title: "Kestrel outage", start: "2024-02-07T10:00:00Z" });
    entry(inTitle, "lynx logins failed");
    const clean = incident({ title: "Lynx login slow", start: "2024-02-08T10:00:00Z" });
    expect(ids({ q: "lynx" }).sort()).toEqual([inTimeline, inAction, inSummary, inTitle, clean].sort());
    expect(ids({ q: "lynx -kestrel" })).toEqual([clean]);
    expect(ids({ q: "lynx login -kestrel" })).toEqual([clean]);
    expect(ids({ q: 'lynx -"kestrel restarted"' }).sort()).toEqual([inAction, inSummary, inTitle, clean].sort());
    expect(ids({ q: "lynx -kestr*" })).toEqual([clean]);
    // What is left is ranked and shown as usual.
    expect(searchIncidents({ q: "lynx -kestrel" }).results[0].hits[0]).toMatchObject({ section: "title", snippet: `${MATCH_START}Lynx${MATCH_END} login slow` });
  });

  it("takes a OR b across sections", () => {
    const summary = incident({ title: "Caracal storage", start: "2024-02-09T10:00:00Z", summary: "mongoose disks filled up" });
    const timeline = incident({ title: "Storage alarms", start: "2024-02-10T10:00:00Z" });
    entry(timeline, "badger restarted the caracal nodes");
    const neither = incident({ title: "Caracal again", start: "2024-02-11T10:00:00Z" });
    expect(ids({ q: "mongoose OR badger caracal" }).sort()).toEqual([summary, timeline].sort());
    expect(ids({ q: "caracal -mongoose -badger" })).toEqual([neither]);
    expect(ids({ q: "mongoose OR badger -restarted" })).toEqual([summary]);
    expect(ids({ q: "mongoose OR badger -caracal" })).toEqual([]);
  });

  it("keeps a phrase within one section", () => {
    const id = incident({ title: "Replica gannet", start: "2024-02-12T10:00:00Z", summary: "puffin nodes lagged" });
    entry(id, "first note ends with tern");
    entry(id, "cormorant starts the next note", 1);
    expect(ids({ q: "gannet puffin" })).toEqual([id]);
    expect(ids({ q: '"gannet puffin"' })).toEqual([]);
    expect(ids({ q: "tern cormorant" })).toEqual([id]);
    expect(ids({ q: '"tern cormorant"' })).toEqual([]);
    expect(ids({ q: '"puffin nodes" gannet' })).toEqual([id]);
    expect(ids({ q: '"puffin nodes" -"gannet puffin"' })).toEqual([id]);
  });

  it("follows edits, deletes and restores of entries, actions and incidents at once", () => {
    const id = incident({ title: "Marten login errors", start: "2024-02-13T10:00:00Z" });
    const entryId = entry(id, "Osprey restarted");
    expect(ids({ q: "marten -osprey" })).toEqual([]);
    // Deleting the only entry with the word finds the incident again; restoring it leaves it out.
    expect(deleteTimelineEntry(entryId, AUTHOR)).toBe(true);
    expect(ids({ q: "marten -osprey" })).toEqual([id]);
    expect(restoreTimelineEntry(entryId, AUTHOR)).toBe(true);
    expect(ids({ q: "marten -osprey" })).toEqual([]);
    // Editing the word away, and back.
    const text = (value: string) => ({ occurredAt: Date.parse("2024-02-13T10:05:00Z"), text: value, kind: "note" as const, author: null });
    expect(updateTimelineEntry(entryId, text("Cache restarted"), AUTHOR).ok).toBe(true);
    expect(ids({ q: "marten -osprey" })).toEqual([id]);
    expect(ids({ q: "marten cache" })).toEqual([id]);
    expect(updateTimelineEntry(entryId, text("Osprey restarted again"), AUTHOR).ok).toBe(true);
    expect(ids({ q: "marten -osprey" })).toEqual([]);
    expect(ids({ q: "marten cache" })).toEqual([]);

    // Actions: added, edited, deleted, restored.
    expect(deleteTimelineEntry(entryId, AUTHOR)).toBe(true);
    const actionId = action(id, "Watch the puma queue");
    expect(ids({ q: "marten puma" })).toEqual([id]);
    expect(ids({ q: "marten -puma" })).toEqual([]);
    expect(updateAction(actionId, actionInput("Watch the queue", "puma is gone"), AUTHOR).ok).toBe(true);
    expect(ids({ q: "marten -puma" })).toEqual([]);
    expect(updateAction(actionId, actionInput("Watch the queue", "nothing else"), AUTHOR).ok).toBe(true);
    expect(ids({ q: "marten -puma" })).toEqual([id]);
    expect(ids({ q: "marten puma" })).toEqual([]);
    expect(updateAction(actionId, actionInput("Watch the puma queue"), AUTHOR).ok).toBe(true);
    expect(deleteAction(actionId, AUTHOR)).toBe(true);
    expect(ids({ q: "marten puma" })).toEqual([]);
    expect(restoreAction(actionId, AUTHOR)).toBe(true);
    expect(ids({ q: "marten puma" })).toEqual([id]);

    // The incident's own fields, and the incident itself.
    const fields = (rootCause: string) => incidentInput({ title: "Marten login errors", start: "2024-02-13T10:00:00Z", rootCause });
    expect(updateIncident(id, fields("A vole in the config"), AUTHOR).ok).toBe(true);
    expect(ids({ q: "puma vole" })).toEqual([id]);
    expect(ids({ q: "puma -vole" })).toEqual([]);
    expect(deleteIncident(id, AUTHOR)).toBe(true);
    expect(ids({ q: "puma vole" })).toEqual([]);
    expect(restoreIncident(id, AUTHOR)).toBe(true);
    expect(ids({ q: "puma vole" })).toEqual([id]);
    expect(updateIncident(id, fields(""), AUTHOR).ok).toBe(true);
    expect(ids({ q: "puma vole" })).toEqual([]);
    expect(ids({ q: "puma -vole" })).toEqual([id]);
  });

  it("needs every word of a long query, though only the rarest five rank", () => {
    const id = incident({ title: "Dingo cache", start: "2024-02-16T10:00:00Z", summary: "emu queue", rootCause: "koala config", lessons: "numbat alerts" });
    entry(id, "quoll restarted the wallaby pods");
    action(id, "Bilby runbook");
    const all = "dingo emu koala numbat quoll wallaby bilby cache queue";
    expect(ids({ q: all })).toEqual([id]);
    expect(ids({ q: `${all} platypus` })).toEqual([]);
    expect(ids({ q: `${all} -bilby` })).toEqual([]);
    const [result] = searchIncidents({ q: all }).results;
    expect(result.hits).toHaveLength(3);
  });

  it("follows an entry moved to another incident", () => {
    const from = incident({ title: "Tarsier origin", start: "2024-02-17T10:00:00Z" });
    const to = incident({ title: "Tarsier target", start: "2024-02-18T10:00:00Z" });
    const moved = entry(from, "a tamarin crossed the wires");
    expect(ids({ q: "tarsier tamarin" })).toEqual([from]);
    getDb().$client.prepare("update timeline_entries set incident_id = ? where id = ?").run(to, moved);
    expect(ids({ q: "tarsier tamarin" })).toEqual([to]);
    expect(ids({ q: "origin -tamarin" })).toEqual([from]);
  });

  it("applies the filters to incidents found by words in different sections", () => {
    const sev1 = incident({ title: "Ferret payments", start: "2024-02-14T10:00:00Z", severity: "SEV1", services: ["payments"] });
    action(sev1, "Retire the stoat batch job");
    const sev2 = incident({ title: "Ferret search", start: "2024-02-15T10:00:00Z", severity: "SEV2" });
    entry(sev2, "stoat again");
    expect(ids({ q: "ferret stoat" }).sort()).toEqual([sev1, sev2].sort());
    expect(ids({ q: "ferret stoat", severity: "SEV1" })).toEqual([sev1]);
    expect(ids({ q: "ferret stoat", service: "PAYMENTS" })).toEqual([sev1]);
    expect(ids({ q: "ferret stoat", from: "2024-02-15" })).toEqual([sev2]);
    expect(ids({ q: "ferret -stoat", severity: "SEV1" })).toEqual([]);
  });

  it("imported postmortems: words from the summary, the timeline and an action together", () => {
    const document = fs.readFileSync(path.resolve("test/fixtures/seed-postmortem.md"), "utf8");
    const saved = saveImported(parsePostmortem(document), AUTHOR);
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    expect(ids({ q: "airbnb mahari failover" })).toContain(saved.incident.id);
    expect(ids({ q: "airbnb -mahari" })).not.toContain(saved.incident.id);
  });
});

describe("ranking", () => {
  it("puts an incident with the word in its title above one that mentions it in passing in a timeline entry", () => {
    const passing = incident({ title: "Slow search results", start: "2024-04-01T10:00:00Z" });
    entry(
      passing,
      "Long investigation of the search cluster: checked the shards, the replicas, the query planner, the caches, the " +
        "garbage collector, the network, the load balancer and finally the zeppelin feature flag, which was not it.",
    );
    const titled = incident({ title: "Zeppelin feature flag took down bookings", start: "2024-03-01T10:00:00Z" });
    const outcome = searchIncidents({ q: "zeppelin" });
    expect(outcome.results.map((result) => result.incident.id)).toEqual([titled, passing]);
    expect(outcome.results[0].hits[0].label).toBe("Title");
    expect(outcome.results[0].score).toBeGreaterThan(outcome.results[1].score);
  });

  it("shows at most three hits per incident, best first", () => {
    const id = incident({ title: "Axolotl", start: "2024-04-02T10:00:00Z" });
    for (let index = 0; index < 5; index++) entry(id, `axolotl note ${index}`, index);
    const [result] = searchIncidents({ q: "axolotl" }).results;
    expect(result.hits).toHaveLength(3);
    expect(result.hits[0].label).toBe("Title");
  });

  it("pages through the incidents found", () => {
    const made = Array.from({ length: 5 }, (_, index) => incident({ title: `Pangolin ${index}`, start: `2024-05-0${index + 1}T10:00:00Z` }));
    const first = searchIncidents({ q: "pangolin", limit: 2 });
    const second = searchIncidents({ q: "pangolin", limit: 2, offset: 2 });
    const third = searchIncidents({ q: "pangolin", limit: 2, offset: 4 });
    expect(first.total).toBe(5);
    const seen = [...first.results, ...second.results, ...third.results].map((result) => result.incident.id);
    expect(seen.sort()).toEqual([...made].sort());
  });
});

describe("filters", () => {
  let sev1Payments: number;
  let sev2Search: number;
  let oldOpen: number;

  beforeAll(() => {
    sev1Payments = incident({ title: "Ocelot payments outage", start: "2024-06-10T23:30:00Z", severity: "SEV1", services: ["payments"], category: "deployment" });
    sev2Search = incident({ title: "Ocelot search slowness", start: "2024-06-20T08:00:00Z", severity: "SEV2", services: ["Search", "cache"], category: "capacity" });
    oldOpen = incident({ title: "Ocelot cache stampede", start: "2023-01-05T08:00:00Z", severity: "SEV2", status: "investigating", services: ["cache"] });
  });

  it("by start date, whole UTC days at both ends", () => {
    expect(ids({ q: "ocelot", from: "2024-06-10", to: "2024-06-10" })).toEqual([sev1Payments]);
    expect(ids({ q: "ocelot", from: "2024-06-11" })).toEqual([sev2Search]);
    expect(ids({ q: "ocelot", to: "2024-06-19" }).sort()).toEqual([sev1Payments, oldOpen].sort());
  });

  it("by severity, status, service (any case) and cause category (any case)", () => {
    expect(ids({ q: "ocelot", severity: "SEV1" })).toEqual([sev1Payments]);
    expect(ids({ q: "ocelot", status: "investigating" })).toEqual([oldOpen]);
    expect(ids({ q: "ocelot", service: "CACHE" }).sort()).toEqual([sev2Search, oldOpen].sort());
    expect(ids({ q: "ocelot", service: "search" })).toEqual([sev2Search]);
    expect(ids({ q: "ocelot", category: "Deployment" })).toEqual([sev1Payments]);
    expect(ids({ q: "ocelot", severity: "SEV2", service: "cache", from: "2024-01-01" })).toEqual([sev2Search]);
    expect(ids({ q: "ocelot", service: "no such service" })).toEqual([]);
  });

  it("says what is wrong with a filter instead of searching", () => {
    expect(searchIncidents({ q: "ocelot", from: "2024-13-01" }).error).toMatch(/date/);
    expect(searchIncidents({ q: "ocelot", from: "2024-06-20", to: "2024-06-10" }).error).toMatch(/before/);
    expect(searchIncidents({ q: "ocelot", severity: "SEV9" }).error).toMatch(/Severity/);
  });
});

describe("what people type", () => {
  it("ignores case and accents: ete finds Été, and ÉTÉ finds ete", () => {
    const summer = incident({ title: "Panne de l'Été: la base était saturée", start: "2024-07-01T10:00:00Z" });
    const plainSpelling = incident({ title: "ete fallback to the old CDN", start: "2024-07-02T10:00:00Z" });
    expect(ids({ q: "ete" }).sort()).toEqual([summer, plainSpelling].sort());
    expect(ids({ q: "ÉTÉ" }).sort()).toEqual([summer, plainSpelling].sort());
    expect(ids({ q: "etait saturee" })).toEqual([summer]);
  });

  it("supports phrases, prefixes, exclusions and OR", () => {
    const pool = incident({ title: "Connection pool exhausted on the ledger", start: "2024-07-03T10:00:00Z" });
    const poolish = incident({ title: "Pool of connections to the ledger grew", start: "2024-07-04T10:00:00Z" });
    expect(ids({ q: '"connection pool" ledger' })).toEqual([pool]);
    expect(ids({ q: "ledger conn*" }).sort()).toEqual([pool, poolish].sort());
    expect(ids({ q: "ledger -exhausted" })).toEqual([poolish]);
    expect(ids({ q: "exhausted OR grew" }).sort()).toEqual([pool, poolish].sort());
  });


  it("never throws and never fails on odd input", () => {
    for (const q of odd) {
      const outcome = searchIncidents({ q });
      expect(outcome.error, JSON.stringify(q)).toBeUndefined();
      expect(Array.isArray(outcome.results)).toBe(true);
    }
    expect(searchIncidents({ q: "x".repeat(1_000) }).truncated).toBe(true);
  });
});

describe("very common words", () => {
  const made: number[] = [];
  let queueJam: number;
  let queueStall: number;

  beforeAll(() => {
    // Two older incidents (lower ids: outside any window) with "sighting" and "queue" in their titles.
    queueJam = incident({ title: "Sighting at the queue: jam", start: "2018-01-01T10:00:00Z" });
    queueStall = incident({ title: "Sighting at the queue: stall", start: "2018-02-01T10:00:00Z" });
    entry(queueStall, "the pool was full");
    // 150 incidents, 30 entries each mentioning gremlin: 4,650 matching rows, more than are ranked at once.
    getDb().transaction(() => {
      for (let index = 0; index < 150; index++) {
        const start = new Date(Date.UTC(2020, 0, 1 + index, 12)).toISOString();
        const id = incident({ title: `Night shift ${index}`, start });
        made.push(id);
        for (let line = 0; line < 30; line++) entry(id, `gremlin sighting ${line} near the ${["cache", "queue", "pool"][line % 3]}`, line);
      }
    });
  });

  it("rank only the newest incidents' matches, say so, and a date filter reaches further back", () => {
    const outcome = searchIncidents({ q: "gremlin", limit: 100 });
    expect(outcome.limited).toBe(true);
    expect(outcome.total).toBeGreaterThan(20);
    expect(outcome.total).toBeLessThan(150);
    const newest = new Set(made.slice(-outcome.total));
    for (const result of outcome.results) expect(newest.has(result.incident.id)).toBe(true);

    const early = searchIncidents({ q: "gremlin", to: "2020-01-10", limit: 100 });
    expect(early.results.map((result) => result.incident.id).sort()).toEqual(made.slice(0, 10).sort());
    expect(early.limited).toBeUndefined();

    // An old incident with the word in its title is outside the window, yet it comes first.
    const titled = incident({ title: "Gremlin in the payment queue", start: "2019-03-01T10:00:00Z" });
    const withTitle = searchIncidents({ q: "gremlin", limit: 5 });
    expect(withTitle.limited).toBe(true);
    expect(withTitle.results[0].incident.id).toBe(titled);
    expect(withTitle.results[0].hits[0]).toMatchObject({ section: "title", snippet: `${MATCH_START}Gremlin${MATCH_END} in the payment queue` });
    expect(withTitle.total).toBeLessThan(151); // still a window, plus the titled incident
    // A filter that excludes it leaves it out.
    expect(searchIncidents({ q: "gremlin", severity: "SEV1", limit: 5 }).results.map((r) => r.incident.id)).not.toContain(titled);
  });

  it("with words in different sections or an exclusion, rank the newest incidents that have them all, titles first", () => {
    // Both words in most incidents: the newest ones are ranked, each hit showing where a word is.
    const both = searchIncidents({ q: "gremlin queue", limit: 100 });
    expect(both.limited).toBe(true);
    expect(both.total).toBeGreaterThan(20);
    expect(both.total).toBeLessThan(150);
    for (const result of both.results) expect(result.incident.id).toBeGreaterThan(made[75]);
    const spread = searchIncidents({ q: "gremlin shift", limit: 100 });
    expect(spread.limited).toBe(true);
    expect(spread.results[0].hits.map((hit) => hit.label)).toEqual(expect.arrayContaining(["Title", "Timeline"]));

    // A date filter reaches further back, and there every incident is ranked.
    const early = searchIncidents({ q: "gremlin queue", from: "2020-01-01", to: "2020-01-10", limit: 100 });
    expect(early.results.map((result) => result.incident.id).sort()).toEqual(made.slice(0, 10).sort());
    expect(early.limited).toBeUndefined();

    // A common word with a rare one in a few incidents far apart: exactly those, however old.
    const rare = [made[0], made[70], made[140]];
    for (const id of rare) action(id, "Zircon audit of the night shift");
    const few = searchIncidents({ q: "gremlin zircon", limit: 100 });
    expect(few.results.map((result) => result.incident.id).sort()).toEqual([...rare].sort());
    expect(few.limited).toBeUndefined();
    expect(few.results[0].hits.map((hit) => hit.label)).toEqual(expect.arrayContaining(["Corrective action", "Timeline"]));

    // Older incidents with every word in the title come first, unless an excluded word is anywhere in them.
    const titledFirst = searchIncidents({ q: "sighting queue", limit: 5 });
    expect(titledFirst.limited).toBe(true);
    expect(titledFirst.results.slice(0, 2).map((result) => result.incident.id).sort()).toEqual([queueJam, queueStall].sort());
    expect(titledFirst.results[0].hits[0].section).toBe("title");
    expect(ids({ q: "sighting queue -pool", limit: 100 })).toEqual([queueJam]);
    expect(ids({ q: "sighting queue -stall", limit: 100 })).not.toContain(queueStall);
  });
});

describe("through HTTP", () => {
  let server: TestServer;
  let incidentId: number;

  beforeAll(async () => {
    server = await startServer();
    const post = async (path: string, body: unknown) => {
      const response = await server.fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      expect(response.status, path).toBe(201);
      return response.json();
    };
    const created = await post("/api/incidents", { title: "Platypus payments outage", severity: "SEV2", startedAt: "2024-06-09T16:20:00Z", services: ["payments"] });
    incidentId = created.id;
    await post(`/api/incidents/${incidentId}/timeline`, { occurredAt: "2024-06-09T16:30:00Z", text: "The <b>echidna</b> worker <script>alert(1)</script> crashed" });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("GET /api/search answers results with ISO times and marked snippets", async () => {
    const response = await server.fetch("/api/search?q=echidna", { as: "read" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.total).toBe(1);
    expect(body.results[0].incident).toMatchObject({ id: incidentId, title: "Platypus payments outage", startedAt: "2024-06-09T16:20:00+00:00", services: ["payments"] });
    expect(body.results[0].hits).toEqual([
      { section: "timeline", refId: expect.any(Number), snippet: `The <b>${MATCH_START}echidna${MATCH_END}</b> worker <script>alert(1)</script> crashed` },
    ]);
  });

  it("GET /api/search refuses an empty query and bad filters with 400 and the field", async () => {
    for (const [query, field] of [
      ["", "q"],
      ["q=", "q"],
      ["q=%20%20", "q"],
      ["q=-echidna", "q"],
      ["q=%22%22", "q"],
      ["q=echidna&from=yesterday", "from"],
      ["q=echidna&to=2024-02-30", "to"],
      ["q=echidna&severity=SEV0", "severity"],
      ["q=echidna&status=gone", "status"],
      ["q=echidna&limit=0", "limit"],
    ]) {
      const response = await server.fetch(`/api/search?${query}`, { as: "read" });
      expect(response.status, query).toBe(400);
      expect(Object.keys((await response.json()).errors), query).toContain(field);
    }
  });

  it("never answers 500, to the API or the page, whatever is typed", async () => {
    for (const q of odd) {
      const api = await server.fetch(`/api/search?${new URLSearchParams({ q })}`, { as: "read" });
      expect([200, 400], `API ${JSON.stringify(q)}`).toContain(api.status);
      const page = await server.fetch(`/search?${new URLSearchParams({ q })}`);
      expect([200, 400], `page ${JSON.stringify(q)}`).toContain(page.status);
    }
  });

  it("the page shows the hit with its section, the match marked, and user text as text", async () => {
    const response = await server.fetch("/search?q=echidna");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`href="/incidents/${incidentId}/timeline"`);
    expect(html).toContain(">Timeline</a>");
    expect(html).toContain("<mark>echidna</mark>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)</script>");
    // The markers travel in the loader's data only; the markup has <mark>.
    const main = html.slice(html.indexOf("<main>"), html.indexOf("</main>"));
    expect(main).toContain("<mark>echidna</mark>");
    expect(main).not.toMatch(/\uE000|\uE001/);
  });

  it("the page keeps what was typed and says what is wrong with a date, at the field", async () => {
    const response = await server.fetch("/search?q=echidna&from=2024-99-01&severity=SEV2");
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toMatch(/id="from-error"[^>]*>Use a date such as 2024-06-01</);
    expect(html).toContain('value="echidna"');
    expect(html).toContain('value="2024-99-01"');
    expect(html).toMatch(/<option value="SEV2" selected="">/);
  });

  it("every page has the header's search box: a GET form to /search that works without JavaScript", async () => {
    const html = await (await server.fetch("/incidents")).text();
    expect(html).toMatch(/<form method="get" action="\/search" role="search" aria-label="Search past outages"/);
    expect(html).toMatch(/<label for="site-search-q">Search<\/label><input id="site-search-q" type="search" name="q"/);
  });

  it("the page gives a hint when there is nothing to search for yet", async () => {
    const html = await (await server.fetch("/search")).text();
    expect(html).toContain("Every word must match");
  });
});
