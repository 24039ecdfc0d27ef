// Recurrence: which past incidents look like this one, and whether it repeats a recent one.
// Scores are sums of plain parts a reviewer can check by reading both incidents
// (docs/decisions/008-recurrence.md):
//   3 per shared service, 2 for the same cause category, and per shared word of the title or
//   root cause up to 1 by its rarity: ln((N + 1) / (df + 1)) / ln(N + 1), where N is the number
//   of live incidents and df how many of them use the word (words under 0.2 are too common to count).
// Candidates come from indexes, never from reading every incident: incident_services by service,
// the category index, and the FTS5 table search_index (drizzle/0006) for each word.
import { sql } from "drizzle-orm";

import { getDb } from "~/db/client.server";
import type { ActionStatus } from "~/lib/vocabulary";

export const SIMILARITY_WEIGHTS = { service: 3, category: 2, word: 1 } as const;
/** A word used by so many incidents that its rarity weight is below this says nothing. */
export const MIN_WORD_WEIGHT = 0.2;
/** Words of a long root cause looked up at most: title words first, then the longest. */
const MAX_QUERY_WORDS = 24;
export const REPEAT_WINDOW_DAYS = 90;
const DAY = 86_400_000;
/** search_index rowids below 2^40 are incident sections (drizzle/0006). */
const SEARCH_INCIDENT_ROWIDS_END = 2 ** 40;

/**
 * "unknown" says nobody found the cause: two such incidents share ignorance, not a cause, so it
 * counts neither towards similarity nor as a repeat (like having no category at all).
 */
function meaningfulCategory(category: string | null): string | null {
  const trimmed = category?.trim() ?? "";
  return trimmed && trimmed.toLowerCase() !== "unknown" ? trimmed : null;
}

// ---------------------------------------------------------------------------
// Words

const STOP_WORDS = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being below between both but by " +
    "can could did do does doing down during each few for from further had has have having he her here hers him his how i if in " +
    "into is it its itself just me more most my no nor not now of off on once only or other our ours out over own same she should " +
    "so some such than that the their theirs them then there these they this those through to too under until up very was we were " +
    "what when where which while who whom why will with would you your yours " +
    // Words every postmortem uses about itself.
    "root cause caused causing outage incident issue issues problem failed failure fail error errors due users user " +
    "led team however resulted result every many much"
  ).split(/\s+/),
);

/**
 * The words of a text as SQLite's unicode61 tokenizer (remove_diacritics 2) sees them, so each
 * can be looked up in search_index as is: lower case, accents removed, split on anything that is
 * not a letter or digit. Stop words, words under 3 letters and bare numbers are left out.
 */
export function significantWords(text: string): string[] {
  const words = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu);
  const seen = new Set<string>();
  for (const word of words ?? []) {
    if (word.length < 3 || /^\d+$/.test(word) || STOP_WORDS.has(word)) continue;
    seen.add(word);
  }
  return [...seen];
}

/** Rarity weight of a word used by `df` of `total` incidents: about 1 for a word nobody else uses. */
export function wordWeight(df: number, total: number): number {
  if (total <= 1) return 0;
  return Math.log((total + 1) / (df + 1)) / Math.log(total + 1);
}

// ---------------------------------------------------------------------------
// Shared pieces

type Subject = { id: number; at: number; title: string; rootCause: string; category: string | null };
type ServiceRef = { id: number; name: string };

function subject(incidentId: number): Subject | null {
  return (
    getDb().get<Subject | undefined>(sql`
      select id, coalesce(started_at, created_at) as at, title, root_cause as rootCause, category
      from incidents where id = ${incidentId} and deleted_at is null`) ?? null
  );
}

function servicesOf(incidentId: number): ServiceRef[] {
  return getDb().all<ServiceRef>(sql`
    select s.id, s.name from incident_services x join services s on s.id = x.service_id
    where x.incident_id = ${incidentId} order by x.position`);
}

export type ActionBrief = { id: number; title: string; status: ActionStatus; owner: string | null; dueDate: string | null };

function actionsOf(incidentIds: number[]): Map<number, ActionBrief[]> {
  const result = new Map<number, ActionBrief[]>();
  if (incidentIds.length === 0) return result;
  const rows = getDb().all<ActionBrief & { incidentId: number }>(sql`
    select id, incident_id as incidentId, title, status, owner, due_date as dueDate from corrective_actions
    where deleted_at is null and incident_id in ${incidentIds} order by id`);
  for (const { incidentId, ...action } of rows) result.set(incidentId, [...(result.get(incidentId) ?? []), action]);
  return result;
}

export type ActionSummary = {
  total: number;
  done: number;
  wontDo: number;
  /** Still open or in progress: the ones a reviewer asks about. */
  pending: ActionBrief[];
};

export function summarizeActions(actions: ActionBrief[]): ActionSummary {
  return {
    total: actions.length,
    done: actions.filter((action) => action.status === "done").length,
    wontDo: actions.filter((action) => action.status === "wont_do").length,
    pending: actions.filter((action) => action.status === "open" || action.status === "in_progress"),
  };
}

type IncidentBrief = { id: number; title: string; status: string; severity: string; startedAt: number | null; timeZone: string; category: string | null };

function briefs(ids: number[]): Map<number, IncidentBrief> {
  if (ids.length === 0) return new Map();
  const rows = getDb().all<IncidentBrief>(sql`
    select id, title, status, severity, started_at as startedAt, time_zone as timeZone, category
    from incidents where id in ${ids}`);
  return new Map(rows.map((row) => [row.id, row]));
}

// ---------------------------------------------------------------------------
// Similar past incidents

export type SimilarIncident = IncidentBrief & {
  score: number;
  /** Why, in the order of the score's parts: "shares booking database", "same category: deployment", … */
  reasons: string[];
  actions: ActionSummary;
};

type WordMatch = { weight: number; section: "title" | "root_cause" };
type Candidate = { at: number; services: string[]; sameCategory: boolean; words: Map<string, WordMatch> };

function wordScore(words: Map<string, WordMatch>): number {
  let sum = 0;
  for (const { weight } of words.values()) sum += weight * SIMILARITY_WEIGHTS.word;
  return sum;
}

function scoreOf(entry: Candidate): number {
  return entry.services.length * SIMILARITY_WEIGHTS.service + (entry.sameCategory ? SIMILARITY_WEIGHTS.category : 0) + wordScore(entry.words);
}

/**
 * The past incidents (started before this one, not deleted) most like it, best first; ties go to
 * the more recent. Each comes with its score, the reasons for it and a summary of its actions.
 */
export function similarIncidents(incidentId: number, limit = 5): SimilarIncident[] {
  const self = subject(incidentId);
  if (!self) return [];
  const db = getDb();
  const candidates = new Map<number, Candidate>();
  const candidate = (id: number, at: number) => {
    let entry = candidates.get(id);
    if (!entry) candidates.set(id, (entry = { at, services: [], sameCategory: false, words: new Map() }));
    return entry;
  };
  const past = sql`i.deleted_at is null and i.id != ${self.id} and coalesce(i.started_at, i.created_at) < ${self.at}`;

  const services = servicesOf(self.id);
  if (services.length) {
    const names = new Map(services.map((service) => [service.id, service.name]));
    const rows = db.all<{ id: number; at: number; serviceId: number }>(sql`
      select i.id, coalesce(i.started_at, i.created_at) as at, x.service_id as serviceId
      from incident_services x join incidents i on i.id = x.incident_id
      where x.service_id in ${[...names.keys()]} and ${past}`);
    for (const row of rows) candidate(row.id, row.at).services.push(names.get(row.serviceId)!);
  }

  const category = meaningfulCategory(self.category);
  if (category) {
    // Stored as the vocabulary spells it (validation's matchCategory), so plain equality uses the index.
    const rows = db.all<{ id: number; at: number }>(sql`
      select i.id, coalesce(i.started_at, i.created_at) as at from incidents i
      where i.category = ${category} and ${past}`);
    for (const row of rows) candidate(row.id, row.at).sameCategory = true;
  }

  const matches = wordMatches(self);
  for (const [id, words] of matches) {
    const entry = candidates.get(id);
    if (entry) entry.words = words;
  }
  // Incidents found by their words alone need their start read to tell whether they are past;
  // only those whose words could beat the current top `limit` are worth reading.
  const known = [...candidates.values()].map(scoreOf).sort((a, b) => b - a);
  const floor = known.length >= limit ? known[limit - 1] : 0;
  const unknown = [...matches.entries()].filter(([id, words]) => !candidates.has(id) && wordScore(words) >= floor).map(([id]) => id);
  if (unknown.length) {
    const rows = db.all<{ id: number; at: number }>(sql`
      select i.id, coalesce(i.started_at, i.created_at) as at from incidents i
      where i.id in (select value from json_each(${JSON.stringify(unknown)})) and ${past}`);
    for (const row of rows) candidate(row.id, row.at).words = matches.get(row.id)!;
  }

  const scored = [...candidates.entries()].map(([id, entry]) => ({ id, entry, score: scoreOf(entry) }));
  scored.sort((a, b) => b.score - a.score || b.entry.at - a.entry.at || b.id - a.id);
  const top = scored.slice(0, limit);
  const details = briefs(top.map(({ id }) => id));
  const actions = actionsOf(top.map(({ id }) => id));
  return top.map(({ id, entry, score }) => ({
    ...details.get(id)!,
    score: Math.round(score * 100) / 100,
    reasons: reasonsFor(entry, category),
    actions: summarizeActions(actions.get(id) ?? []),
  }));
}

/**
 * The incidents whose title or root cause use this one's words (other than itself), with each
 * word's rarity weight and where it was found. A word's df is how many live incidents use it in
 * either place; deleted incidents have no rows in search_index, so they are never counted.
 */
function wordMatches(self: Subject): Map<number, Map<string, WordMatch>> {
  const db = getDb();
  const result = new Map<number, Map<string, WordMatch>>();
  const words = [...new Set([...significantWords(self.title), ...significantWords(self.rootCause).sort((a, b) => b.length - a.length)])].slice(
    0,
    MAX_QUERY_WORDS,
  );
  if (words.length === 0) return result;
  const total = db.get<{ n: number }>(sql`select count(*) as n from incidents where deleted_at is null`)!.n;
  // A word in more incidents than this weighs less than MIN_WORD_WEIGHT.
  const maxDf = Math.floor(Math.pow(total + 1, 1 - MIN_WORD_WEIGHT)) - 1;
  for (const word of words) {
    // Sections are told by rowid (incident id * 16, + 0 for the title, + 2 for the root cause;
    // drizzle/0006), so FTS5 answers from its index without reading any stored text. An incident
    // has at most two such rows: more than 2 * maxDf rows means too common, and the scan stops there.
    const rows = db.all<{ rowid: number }>(sql`
      select rowid from search_index
      where search_index match ${`"${word}"`} and rowid < ${SEARCH_INCIDENT_ROWIDS_END} and rowid % 16 in (0, 2)
      limit ${2 * maxDf + 1}`);
    if (rows.length > 2 * maxDf) continue;
    const sections = new Map<number, WordMatch["section"]>();
    for (const { rowid } of rows) {
      const id = Math.floor(rowid / 16);
      if (rowid % 16 === 2) sections.set(id, "root_cause");
      else if (!sections.has(id)) sections.set(id, "title");
    }
    const weight = wordWeight(sections.size, total);
    if (weight < MIN_WORD_WEIGHT) continue;
    for (const [id, section] of sections) {
      if (id === self.id) continue;
      const words = result.get(id) ?? new Map<string, WordMatch>();
      words.set(word, { weight, section });
      result.set(id, words);
    }
  }
  return result;
}

function reasonsFor(entry: Candidate, category: string | null): string[] {
  const reasons: string[] = [];
  if (entry.services.length) reasons.push(`shares ${listed(entry.services)}`);
  if (entry.sameCategory && category) reasons.push(`same category: ${category}`);
  const bySection = (section: string) =>
    [...entry.words.entries()]
      .filter(([, match]) => match.section === section)
      .sort((a, b) => b[1].weight - a[1].weight)
      .map(([word]) => word);
  const inRootCause = bySection("root_cause");
  const inTitle = bySection("title");
  if (inRootCause.length) reasons.push(`root cause mentions: ${rarestFirst(inRootCause)}`);
  if (inTitle.length) reasons.push(`title mentions: ${rarestFirst(inTitle)}`);
  return reasons;
}

/** The rarest words (they come sorted), at most five: a reason, not an index. */
function rarestFirst(words: string[]): string {
  return words.length <= 5 ? words.join(", ") : `${words.slice(0, 5).join(", ")} and ${words.length - 5} more`;
}

function listed(names: string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

// ---------------------------------------------------------------------------
// Repeats

export type Repeat = {
  incident: IncidentBrief & { sharedServices: string[]; daysBefore: number };
  /** The earlier incident's corrective actions, so reviewers see whether they were done. */
  actions: ActionBrief[];
  summary: ActionSummary;
  /** Other incidents in the same window that match too (the shown one is the most recent). */
  others: number;
};

/**
 * An incident repeats an earlier one when that one (not deleted) shares at least one service,
 * has the same cause category and started within the 90 days before it. Without a category (or
 * with "unknown") nothing is a repeat: services alone say where it hurt, not that the cause came
 * back. When several match, the most recent is the one shown. Start times fall back to when the
 * incident was recorded, as in the incident list.
 */
export function repeatOf(incidentId: number): Repeat | null {
  const self = subject(incidentId);
  const category = meaningfulCategory(self?.category ?? null);
  if (!self || !category) return null;
  const matches = getDb().all<{ id: number; at: number; sharedServices: string }>(sql`
    select i.id, coalesce(i.started_at, i.created_at) as at,
      (select group_concat(s.name, char(31)) from incident_services x join services s on s.id = x.service_id
        where x.incident_id = i.id and x.service_id in (select service_id from incident_services where incident_id = ${self.id})) as sharedServices
    from incidents i
    where i.deleted_at is null and i.id != ${self.id} and i.category = ${category}
      and coalesce(i.started_at, i.created_at) < ${self.at}
      and coalesce(i.started_at, i.created_at) >= ${self.at - REPEAT_WINDOW_DAYS * DAY}
      and exists (select 1 from incident_services x where x.incident_id = i.id
        and x.service_id in (select service_id from incident_services where incident_id = ${self.id}))
    order by at desc, i.id desc`);
  if (matches.length === 0) return null;
  const [latest] = matches;
  const actions = actionsOf([latest.id]).get(latest.id) ?? [];
  return {
    incident: {
      ...briefs([latest.id]).get(latest.id)!,
      sharedServices: latest.sharedServices.split("\u001f"),
      daysBefore: Math.floor((self.at - latest.at) / DAY),
    },
    actions,
    summary: summarizeActions(actions),
    others: matches.length - 1,
  };
}
