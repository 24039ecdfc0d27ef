// Full-text search of past outages over the FTS5 indexes of drizzle/0006 (search_index: one row
// per section of an incident: title, summary, …, each timeline entry, each action), drizzle/0007
// (search_titles) and drizzle/0008 (search_documents: one row per incident, all its text).
//
// Matching is per incident, as a person means it: every word (every include group of the parser)
// must be somewhere in the postmortem, each in any section, and `-word` leaves out an incident
// that mentions the word in any section. A query of one group and no exclusion (`pool`,
// `"connection pool"`, `a OR b`) matches a section exactly when it matches its incident, so its
// section rows are ranked straight away (rankSections). Any other query first finds its incidents
// in search_documents with the whole query, then ranks each group's section rows in them
// (rankIncidents): the hits show where each word is. A phrase stays within one section.
//
// Ranking: bm25 with the title column weighted 10× the body. A row's score adds up over the groups
// it matches (as bm25 of the groups OR-ed would); an incident scores as the best row of each group,
// added up (one group: its best hit), and shows three hits, taking first the best row for each
// group no hit so far has. Nothing is read from the index's content to rank: a row's kind, section
// and incident follow from its rowid (the scheme in drizzle/0006), with a primary-key lookup in
// timeline_entries / corrective_actions for the incident of an entry or action.
//
// Cost (measured by bench/review.ts): bm25 costs a pass over the whole posting list for
// its IDF plus a microsecond or two per row ranked. A query with up to RANK_ALL_UP_TO matching
// rows ranks them all and its total is exact. A commoner one (1% of the benchmark's 300,000 rows)
// ranks only the rows of the newest incidents that together hold about CANDIDATES matches, sized
// from how densely the newest matches fall; filters narrow those incidents first, so "SEV1 in
// 2023" ranks late 2023, not this week. The result then says `limited`: `total` counts the
// incidents ranked, and an older incident that mentions the word only in its text can only be
// found with a rarer word or a date filter; one with it in its title is still found, from the
// small title index of drizzle/0007, and put first with the other title matches. Ranking all
// 72,000 rows that hold "timeout" in bench/review.ts takes ~200 ms; its window, ~15.
//
// With several groups the same holds for the incidents found: up to RANK_ALL_UP_TO rows of the
// groups (OR-ed) are all ranked; past that, the newest incidents found whose rows hold about
// CANDIDATES matches of the groups, and titles holding every group come first however old (an
// excluded word anywhere still leaves them out). Finding the incidents costs a millisecond or
// three (search_documents has a row per incident, not per section); each group ranked costs its
// own pass, so two very common words cost about what each costs alone, added up, and past
// MAX_RANKED_GROUPS groups only the rarest rank (all must match all the same).
import { utcDayRange } from "~/lib/time";
import {
  INCIDENT_STATUSES,
  SEVERITIES,
  type IncidentStatus,
  type Severity,
} from "~/lib/vocabulary";
import { getDb } from "~/db/client.server";

import { MATCH_END, MATCH_START, parseSearchQuery } from "./search-query";

/** Where in an incident a hit is: the index's section names (drizzle/0006). */
export const SEARCH_SECTIONS = ["title", "summary", "root_cause", "resolution", "lessons", "impact", "trigger", "timeline", "action"] as const;
export type SearchSection = (typeof SEARCH_SECTIONS)[number];
export const SEARCH_SECTION_LABELS: Record<SearchSection, string> = {
  title: "Title",
  summary: "Summary",
  root_cause: "Root cause",
  resolution: "Resolution",
  lessons: "Lessons learned",
  impact: "Impact",
  trigger: "Trigger",
  timeline: "Timeline",
  action: "Corrective action",
};

export { MATCH_END, MATCH_START };

export type SearchInput = {
  q?: string | null;
  /** Start dates, "YYYY-MM-DD", whole UTC days, both included. */
  from?: string | null;
  to?: string | null;
  severity?: Severity | string | null;
  status?: IncidentStatus | string | null;
  /** A service name, any case. */
  service?: string | null;
  /** A cause category, any case. */
  category?: string | null;
  limit?: number;
  offset?: number;
};

export type SearchHit = { section: SearchSection; label: string; refId: number; snippet: string };
export type SearchResult = {
  incident: {
    id: number;
    title: string;
    severity: Severity;
    status: IncidentStatus;
    startedAt: number | null;
    timeZone: string;
    category: string | null;
    services: string[];
  };
  /** Higher is better (bm25 of the best hit, sign flipped). */
  score: number;
  hits: SearchHit[];
};
export type SearchOutcome = {
  results: SearchResult[];
  total: number;
  /** Set when a word was so common that only the newest matches were ranked (see above). */
  limited?: boolean;
  /** Set when the query's words had to be cut (MAX_QUERY_LENGTH / MAX_QUERY_TERMS). */
  truncated?: boolean;
  error?: string;
};

const HITS_PER_INCIDENT = 3;
/** Matches ranked with no window: below this every match is ranked and the total is exact. */
const RANK_ALL_UP_TO = 3_000;
/** About how many matches a window holds (see the top of this file). */
const CANDIDATES = 2_000;
/** With a filter, up to this many times more matches are looked at, so about as many pass it. */
const FILTERED_REACH = 4;
/** Newest matches read to judge how common a query is. */
const PROBE = 500;
/** The most incidents a window spans (finding the first entry of a window reads their index rows). */
const MAX_WINDOW_INCIDENTS = 2_000;

// Rowids of the index (drizzle/0006): incident sections id * 16 + n, entries 2^40 + id, actions 2^41 + id.
const TIMELINE_BASE = 2 ** 40;
const ACTION_BASE = 2 ** 41;
const INCIDENT_SECTIONS: SearchSection[] = ["title", "summary", "root_cause", "resolution", "lessons", "impact", "trigger"];

type Kind = "sections" | "timeline" | "actions";

function locate(rowid: number): { kind: Kind; section: SearchSection; refId: number } {
  if (rowid < TIMELINE_BASE) return { kind: "sections", section: INCIDENT_SECTIONS[rowid % 16], refId: Math.floor(rowid / 16) };
  if (rowid < ACTION_BASE) return { kind: "timeline", section: "timeline", refId: rowid - TIMELINE_BASE };
  return { kind: "actions", section: "action", refId: rowid - ACTION_BASE };
}

const utcDay = utcDayRange;

/** Field errors for the filters of a search (shared by the page and the API). */
export function searchFilterErrors(input: SearchInput): Record<string, string> {
  const errors: Record<string, string> = {};
  const from = input.from ? utcDay(input.from) : null;
  const to = input.to ? utcDay(input.to) : null;
  if (input.from && !from) errors.from = "Use a date such as 2024-06-01";
  if (input.to && !to) errors.to = "Use a date such as 2024-06-30";
  if (from && to && to.end <= from.start) errors.to = "Must not be before the start date";
  if (input.severity && !SEVERITIES.includes(input.severity as Severity)) errors.severity = `Severity must be one of ${SEVERITIES.join(", ")}`;
  if (input.status && !INCIDENT_STATUSES.includes(input.status as IncidentStatus)) errors.status = `Status must be one of ${INCIDENT_STATUSES.join(", ")}`;
  return errors;
}

/** The incidents filter as SQL on `incidents i` (live ones only), with its parameters. */
type IncidentFilter = { sql: string; params: unknown[]; input: SearchInput };

function incidentFilter(input: SearchInput): IncidentFilter {
  const conditions = ["i.deleted_at is null"];
  const params: unknown[] = [];
  const from = input.from ? utcDay(input.from) : null;
  const to = input.to ? utcDay(input.to) : null;
  // As on the incidents page: the start, or when it was recorded if the start is unknown.
  if (from) conditions.push("coalesce(i.started_at, i.created_at) >= ?"), params.push(from.start);
  if (to) conditions.push("coalesce(i.started_at, i.created_at) < ?"), params.push(to.end);
  if (input.severity) conditions.push("i.severity = ?"), params.push(input.severity);
  if (input.status) conditions.push("i.status = ?"), params.push(input.status);
  if (input.category?.trim()) conditions.push("i.category = ? collate nocase"), params.push(input.category.trim());
  if (input.service?.trim()) {
    // A list made once per statement, not a lookup per row.
    conditions.push("i.id in (select x.incident_id from incident_services x join services v on v.id = x.service_id where v.name = ? collate nocase)");
    params.push(input.service.trim());
  }
  return { sql: conditions.join(" and "), params, input };
}

type Statement = ReturnType<ReturnType<typeof getDb>["$client"]["prepare"]>;
const statements = new WeakMap<object, Map<string, Statement>>();
/** Prepared once per connection and SQL text (the filters make a handful of variants). */
function prepare(sqlText: string): Statement {
  const client = getDb().$client;
  let cache = statements.get(client);
  if (!cache) statements.set(client, (cache = new Map()));
  let statement = cache.get(sqlText);
  if (!statement) cache.set(sqlText, (statement = client.prepare(sqlText)));
  return statement;
}

/** The start instants a search's dates allow: [start, end). */
function dateRange(input: SearchInput): { start: number; end: number } {
  return { start: (input.from ? utcDay(input.from)?.start : null) ?? -8.64e15, end: (input.to ? utcDay(input.to)?.end : null) ?? 8.64e15 };
}

/** The newest matching rows (at most PROBE), newest first: reading them stops early. */
function newestMatches(match: string): number[] {
  return prepare("select rowid from search_index where search_index match ? order by rowid desc limit ?").pluck().all(match, PROBE) as number[];
}

/**
 * About how many matching rows an incident holds, judged from the newest PROBE matches: reading
 * them stops early, where counting every match would read the whole posting list.
 */
function matchesPerIncident(match: string, newest = newestMatches(match)): number {
  const { kind, refId } = locate(newest[newest.length - 1]);
  const inKind = newest.filter((rowid) => locate(rowid).kind === kind).length;
  const [lastIncident, lastEntry, lastAction] = prepare(
    "select (select max(id) from incidents), (select max(id) from timeline_entries), (select max(id) from corrective_actions)",
  ).raw().get() as [number, number | null, number | null];
  const from = kind === "sections" ? refId : (prepare(`select incident_id from ${kind === "timeline" ? "timeline_entries" : "corrective_actions"} where id = ?`).pluck().get(refId) as number);
  // Rows per incident of each kind, from the id counters: near enough for a window's size.
  const perIncident = { sections: INCIDENT_SECTIONS.length, timeline: (lastEntry ?? 0) / lastIncident, actions: (lastAction ?? 0) / lastIncident };
  const rate = inKind / Math.max(1, (lastIncident - from + 1) * perIncident[kind]);
  return Math.max(rate * (perIncident.sections + perIncident.timeline + perIncident.actions), 1e-6);
}

/** Incidents first..last, with the span of ids of their timeline entries and actions. */
type Window = { first: number; last: number; timeline: [number, number]; actions: [number, number] };

/** The window of incidents first..last: the id spans of their entries and actions. */
function windowOf(first: number, last: number): Window {
  // +id: read the window's rows of the incident_id index, not the whole table in id order.
  const children = (table: string): [number, number] => {
    const [from, to] = prepare(`select min(+id), max(+id) from ${table} where incident_id between ? and ?`).raw().get(first, last) as [number | null, number | null];
    return from === null || to === null ? [1, 0] : [from, to];
  };
  return { first, last, timeline: children("timeline_entries"), actions: children("corrective_actions") };
}

/**
 * For a query with more than RANK_ALL_UP_TO matches: the newest incidents (up to the newest one
 * the filters allow) whose rows hold about CANDIDATES matches; `limited` when older ones are left out.
 */
function windowFor(match: string, filter: IncidentFilter): { window: Window; limited: boolean } | null {
  // The incidents the filters allow (and their id span), and those started in the date range: the
  // span a date filter narrows the search to (read from the start index; near enough for a share).
  const [filteredCount, low, high] = prepare(`select count(*), min(i.id), max(i.id) from incidents i where ${filter.sql}`)
    .raw()
    .get(...filter.params) as [number, number | null, number | null];
  const range = dateRange(filter.input);
  const inDates =
    filter.input.from || filter.input.to
      ? (prepare("select count(*) from incidents where started_at >= ? and started_at < ?").pluck().get(range.start, range.end) as number)
      : liveIncidents();
  if (filteredCount === 0 || low === null || high === null) return null;
  // Of the incidents looked at in the date range, a filter lets `share` through.
  const share = Math.max(filteredCount / Math.max(inDates, 1), 1 / FILTERED_REACH);
  const incidents = Math.min(MAX_WINDOW_INCIDENTS, Math.ceil(CANDIDATES / matchesPerIncident(match) / share));
  const nth = prepare("select id from incidents where deleted_at is null and id <= ? order by id desc limit 1 offset ?").pluck().get(high, incidents - 1) as number | undefined;
  const first = Math.max(low, nth ?? low);
  return { window: windowOf(first, high), limited: first > low };
}

function liveIncidents(): number {
  return prepare("select count(*) from incidents where deleted_at is null").pluck().get() as number;
}

/** A ranked row of search_index: its rowid, its incident, its bm25 (lower is better). */
type Row = [rowid: number, incidentId: number, score: number];

/**
 * bm25 of every row in the windows, with the incident of each: checked against the filters and
 * liveness in the same pass (the window's rows are recent and close together, so the lookups are
 * cheap), or against a list of incidents (JSON; those have been checked).
 */
function rankWindow(match: string, window: Window, incidents: IncidentFilter | string): Row[] {
  const owner = `(case when s.rowid < ${TIMELINE_BASE} then s.rowid >> 4 when s.rowid < ${ACTION_BASE} then t.incident_id else a.incident_id end)`;
  const listed = typeof incidents === "string";
  const sqlText = `
    select s.rowid, ${listed ? owner : "i.id"}, bm25(search_index, 10.0, 1.0)
    from search_index s
    left join timeline_entries t on s.rowid >= ${TIMELINE_BASE} and s.rowid < ${ACTION_BASE} and t.id = s.rowid - ${TIMELINE_BASE}
    left join corrective_actions a on s.rowid >= ${ACTION_BASE} and a.id = s.rowid - ${ACTION_BASE}
    ${listed ? "" : `join incidents i on i.id = ${owner}`}
    where search_index match ?
      -- Rows outside the three windows (sections < timeline < actions) are passed over before any lookup.
      and s.rowid >= ? and (s.rowid <= ? or (s.rowid >= ? and (s.rowid <= ? or (s.rowid >= ? and s.rowid <= ?))))
      and ${listed ? `${owner} in (select value from json_each(?))` : `i.id between ? and ? and ${incidents.sql}`}`;
  return prepare(sqlText)
    .raw()
    .all(
      match,
      window.first * 16, window.last * 16 + 15,
      TIMELINE_BASE + window.timeline[0], TIMELINE_BASE + window.timeline[1],
      ACTION_BASE + window.actions[0], ACTION_BASE + window.actions[1],
      ...(listed ? [incidents] : [window.first, window.last, ...incidents.params]),
    ) as Row[];
}

/**
 * bm25 of every match, with its incident (any, live or not): looking the incidents up in the
 * same pass as bm25 took twice as long as these two more statements, the matches being
 * scattered over the years. For at most RANK_ALL_UP_TO matches.
 */
function scoreAll(match: string): Row[] {
  const scored = prepare("select rowid, bm25(search_index, 10.0, 1.0) from search_index where search_index match ?").raw().all(match) as [number, number][];
  const entries: number[] = [];
  const actions: number[] = [];
  for (const [rowid] of scored) {
    const { kind, refId } = locate(rowid);
    if (kind === "timeline") entries.push(refId);
    else if (kind === "actions") actions.push(refId);
  }
  const owners = (table: string, ids: number[]) =>
    new Map(ids.length ? (prepare(`select id, incident_id from ${table} where id in (select value from json_each(?))`).raw().all(JSON.stringify(ids)) as [number, number][]) : []);
  const entryIncident = owners("timeline_entries", entries);
  const actionIncident = owners("corrective_actions", actions);
  const rows: Row[] = [];
  for (const [rowid, score] of scored) {
    const { kind, refId } = locate(rowid);
    const incidentId = kind === "sections" ? refId : (kind === "timeline" ? entryIncident : actionIncident).get(refId);
    if (incidentId !== undefined) rows.push([rowid, incidentId, score]);
  }
  return rows;
}

/** scoreAll, keeping the rows of live incidents the filters allow. */
function rankAll(match: string, filter: IncidentFilter): Row[] {
  const rows = scoreAll(match);
  const candidates = [...new Set(rows.map((row) => row[1]))];
  // Without filters, liveness comes from the partial index of live incidents (+id: scan it, read no rows).
  const allowedSql = filter.params.length
    ? `select i.id from incidents i where i.id in (select value from json_each(?)) and ${filter.sql}`
    : "select id from incidents where deleted_at is null and +id in (select value from json_each(?))";
  const allowed = new Set(candidates.length ? (prepare(allowedSql).pluck().all(JSON.stringify(candidates), ...filter.params) as number[]) : []);
  return rows.filter((row) => allowed.has(row[1]));
}

/**
 * The rows each include group matches (in the order of the query's groups), the incidents whose
 * title matches (a window's companion), and whether only the newest incidents were ranked.
 */
type Ranking = { groups: Row[][]; titled: Map<number, number> | null; limited: boolean };

/**
 * One group and no exclusion (`pool`, `"connection pool"`, `a OR b`): a section matches exactly
 * when its incident does, so the section rows are ranked straight away.
 */
function rankSections(match: string, filter: IncidentFilter): Ranking | null {
  // Every match, or for a very common query the window of the newest incidents; one pass of bm25.
  const many = prepare("select rowid from search_index where search_index match ? limit 1 offset ?").pluck().get(match, RANK_ALL_UP_TO) !== undefined;
  const windowed = many ? windowFor(match, filter) : null;
  if (many && !windowed) return null;
  const rows = windowed ? rankWindow(match, windowed.window, filter) : rankAll(match, filter);
  // A window leaves older incidents out; those with the words in their title are still found.
  return { groups: [rows], titled: windowed ? titleMatches(match, filter) : null, limited: windowed?.limited ?? false };
}

/** Most groups ranked by bm25 (see rankIncidents). */
const MAX_RANKED_GROUPS = 5;

/**
 * Several groups or an exclusion (`checkout redis`, `login -redis`): the incidents come from
 * search_documents (one document per incident, drizzle/0008), matched with the whole query, so
 * each word may be in a different section and an excluded word in any section leaves the incident
 * out. Then each group's section rows in those incidents are ranked (bm25 of a row adds up over
 * the groups it matches, as for the groups OR-ed), so the hits can show where each word is.
 */
function rankIncidents(match: string, groups: string[], filter: IncidentFilter): Ranking | null {
  const incidents = matchingIncidents(match, filter);
  if (incidents.length === 0) return null;
  const found = new Set(incidents);
  // bm25 reads a group's whole posting list: past MAX_RANKED_GROUPS, only the rarest groups rank
  // (and show hits); every group must match all the same.
  const live = liveIncidents();
  let ranked = groups.map((group, index) => ({ group, index, newest: [] as number[], rows: 0 }));
  const probe = (item: (typeof ranked)[number]) => {
    item.newest = newestMatches(item.group);
    item.rows = item.newest.length < PROBE ? item.newest.length : matchesPerIncident(item.group, item.newest) * live;
  };
  if (ranked.length > MAX_RANKED_GROUPS) {
    ranked.forEach(probe);
    ranked = ranked.sort((a, b) => a.rows - b.rows || a.index - b.index).slice(0, MAX_RANKED_GROUPS);
  }
  const rows: Row[][] = groups.map(() => []);
  const few = prepare("select rowid from search_index where search_index match ? limit 1 offset ?").pluck().get(ranked.map((item) => item.group).join(" OR "), RANK_ALL_UP_TO) === undefined;
  if (few) {
    for (const { group, index } of ranked) rows[index] = scoreAll(group).filter((row) => found.has(row[1]));
    return { groups: rows, titled: null, limited: false };
  }

  // The newest incidents found whose rows hold about CANDIDATES matches of the ranked groups: an
  // incident found holds rows / documents of a group (under PROBE rows, taken as one each).
  let perFound = 0;
  for (const item of ranked) {
    if (!item.newest.length) probe(item);
    const documents = item.rows < PROBE ? item.rows : (prepare("select count(*) from search_documents where search_documents match ?").pluck().get(item.group) as number);
    perFound += Math.max(1, item.rows / Math.max(1, documents));
  }
  const window = incidents.slice(0, Math.min(MAX_WINDOW_INCIDENTS, Math.ceil(CANDIDATES / perFound)));
  const [first, last] = [window[window.length - 1], window[0]];
  // Two ways to read their rows. The rows first..last, as for one group, kept for those incidents:
  // each match in the span costs a lookup, found or not. Or the listed rows of exactly those
  // incidents, when they are few and far apart (`timeout zanzibar`): each row listed costs a little.
  const inSpan = (last - first + 1) * ranked.reduce((sum, { rows: count }) => sum + count / Math.max(1, live), 0);
  if (inSpan <= window.length * rowsPerIncident()) {
    const span = windowOf(first, last);
    const list = JSON.stringify(window);
    for (const { group, index } of ranked) rows[index] = rankWindow(group, span, list);
  } else {
    const owner = rowsOf(window);
    const list = JSON.stringify([...owner.keys()]);
    const statement = prepare("select rowid, bm25(search_index, 10.0, 1.0) from search_index where search_index match ? and +rowid in (select value from json_each(?))");
    for (const { group, index } of ranked) {
      rows[index] = (statement.raw().all(group, list) as [number, number][]).map(([rowid, score]): Row => [rowid, owner.get(rowid)!, score]);
    }
  }
  const limited = window.length < incidents.length;
  // Incidents with every group in their title, however old; an exclusion can still leave them out.
  const titled = limited ? new Map([...titleMatches(groups.join(" AND "), filter)].filter(([id]) => found.has(id))) : null;
  return { groups: rows, titled, limited };
}

/** Live incidents (allowed by the filters) whose whole text matches, newest first. */
function matchingIncidents(match: string, filter: IncidentFilter): number[] {
  // search_documents holds live incidents only: without filters there is nothing to look up.
  const found = prepare("select rowid from search_documents where search_documents match ? order by rowid desc").pluck().all(match) as number[];
  if (!filter.params.length || found.length === 0) return found;
  const allowed = new Set(prepare(`select i.id from incidents i where ${filter.sql}`).pluck().all(...filter.params) as number[]);
  return found.filter((id) => allowed.has(id));
}

/** Index rows per incident: its sections, and its entries and actions on average. */
function rowsPerIncident(): number {
  const [incidents, entries, actions] = prepare(
    "select (select max(id) from incidents), (select max(id) from timeline_entries), (select max(id) from corrective_actions)",
  ).raw().get() as [number | null, number | null, number | null];
  return INCIDENT_SECTIONS.length + ((entries ?? 0) + (actions ?? 0)) / Math.max(1, incidents ?? 0);
}

/** Every index rowid of the given incidents' sections, entries and actions → its incident. */
function rowsOf(incidents: number[]): Map<number, number> {
  const owner = new Map<number, number>();
  for (const id of incidents) for (let section = 0; section < INCIDENT_SECTIONS.length; section++) owner.set(id * 16 + section, id);
  const list = JSON.stringify(incidents);
  for (const [table, base] of [["timeline_entries", TIMELINE_BASE], ["corrective_actions", ACTION_BASE]] as const) {
    // Deleted ones too (they have no index rows): the incident_id index alone answers.
    const children = prepare(`select id, incident_id from ${table} where incident_id in (select value from json_each(?))`).raw().all(list) as [number, number][];
    for (const [id, incidentId] of children) owner.set(base + id, incidentId);
  }
  return owner;
}

const SNIPPET = `snippet(search_index, -1, char(${MATCH_START.charCodeAt(0)}), char(${MATCH_END.charCodeAt(0)}), '…', 16)`;
// FTS5 looks each rowid of a list up on its own; for a prefix query each lookup expands the prefix
// again, so those read the matches once and keep the listed rows (+rowid: not a lookup).
const SNIPPET_SQL = {
  lookup: `select rowid, ${SNIPPET} from search_index where search_index match ? and rowid in (select value from json_each(?))`,
  pass: `select rowid, ${SNIPPET} from search_index where search_index match ? and +rowid in (select value from json_each(?))`,
};

export function searchIncidents(input: SearchInput): SearchOutcome {
  const parsed = parseSearchQuery(input.q ?? "");
  const truncated = parsed.truncated || undefined;
  if (!parsed.match) return { results: [], total: 0, truncated };
  const errors = searchFilterErrors(input);
  if (Object.keys(errors).length) return { results: [], total: 0, error: Object.values(errors).join("; ") };
  const limit = Math.max(1, Math.min(100, Math.floor(input.limit ?? 20)));
  const offset = Math.max(0, Math.floor(input.offset ?? 0));
  try {
    return { ...search(parsed.match, parsed.groups, parsed.exclude.length > 0, input, limit, offset), truncated };
  } catch (error) {
    // The parser leaves nothing FTS5 could reject; this is for what no one foresaw (a damaged index, say).
    const message = error instanceof Error ? error.message : String(error);
    return { results: [], total: 0, error: `The search could not be run: ${message.replace(/^fts5:\s*/, "")}` };
  }
}

type Hit = { rowid: number; score: number; /** Bit g: the row matches group g. */ groups: number };

function search(
  match: string,
  groups: string[],
  excludes: boolean,
  input: SearchInput,
  limit: number,
  offset: number,
): Omit<SearchOutcome, "truncated"> {
  const filter = incidentFilter(input);

  // 1. The rows of each group in the incidents found (or, for a very common query, the newest of them).
  const ranking = groups.length > 1 || excludes ? rankIncidents(match, groups, filter) : rankSections(match, filter);
  if (!ranking) return { results: [], total: 0 };

  // 2. Each row once, with the groups it matches and the sum of their bm25 (lower is better). An
  // incident scores as the best row of each group, added up (one group: its best hit).
  const rowHits = new Map<number, Hit>();
  const byIncident = new Map<number, { best: number[]; hits: Hit[] }>();
  ranking.groups.forEach((rows, group) => {
    for (const [rowid, incidentId, score] of rows) {
      let entry = byIncident.get(incidentId);
      if (!entry) byIncident.set(incidentId, (entry = { best: groups.map(() => 0), hits: [] }));
      if (score < entry.best[group]) entry.best[group] = score;
      const hit = rowHits.get(rowid);
      if (hit) (hit.score += score), (hit.groups |= 1 << group);
      else {
        const created = { rowid, score, groups: 1 << group };
        rowHits.set(rowid, created);
        entry.hits.push(created);
      }
    }
  });
  // A window leaves older incidents out; those with the words in their title are still found
  // (from the small title index) and, as every title match, come before passing mentions.
  const titled = ranking.titled;
  const everyGroup = (1 << groups.length) - 1;
  for (const [incidentId, score] of titled ?? []) {
    const entry = byIncident.get(incidentId);
    const title = { rowid: incidentId * 16, score, groups: everyGroup };
    if (!entry) byIncident.set(incidentId, { best: [score], hits: [title] });
    else if (!entry.hits.some((hit) => hit.rowid === title.rowid)) entry.hits.push(title);
  }
  const titleRank = (incidentId: number) => titled?.get(incidentId) ?? Number.POSITIVE_INFINITY;
  const scored = [...byIncident.entries()].map(([incidentId, entry]) => ({ incidentId, score: entry.best.reduce((sum, best) => sum + best, 0), hits: entry.hits }));
  // Ties go to the newer incident.
  scored.sort((a, b) => (titled ? titleRank(a.incidentId) - titleRank(b.incidentId) || 0 : 0) || a.score - b.score || b.incidentId - a.incidentId);
  const page = scored.slice(offset, offset + limit).map((item) => ({ incidentId: item.incidentId, score: -item.score, hits: pickHits(item.hits) }));

  // 3. Snippets, each marking the words of the groups its row matches (fewer phrases to look up), and the incidents shown.
  const byGroups = new Map<number, number[]>();
  for (const hit of page.flatMap((item) => item.hits)) byGroups.set(hit.groups, [...(byGroups.get(hit.groups) ?? []), hit.rowid]);
  const snippets = new Map<number, string>();
  for (const [mask, rowids] of byGroups) {
    const expression = groups.filter((_, group) => mask & (1 << group)).join(" OR ");
    for (const [rowid, snippet] of snippetsFor(expression, rowids)) snippets.set(rowid, snippet);
  }
  const incidents = incidentsById(page.map((item) => item.incidentId));
  const results: SearchResult[] = page.map((item) => ({
    incident: incidents.get(item.incidentId)!,
    score: item.score,
    hits: item.hits.map(({ rowid }) => {
      const { section, refId } = locate(rowid);
      return { section, label: SEARCH_SECTION_LABELS[section], refId, snippet: snippets.get(rowid) ?? "" };
    }),
  }));
  return { results, total: scored.length, ...(ranking.limited ? { limited: true } : {}) };
}

/**
 * The HITS_PER_INCIDENT best rows, taking first, best first, each row that matches a group no row
 * taken so far matches: `checkout redis` shows where "checkout" is and where "redis" is.
 */
function pickHits(hits: Hit[]): Hit[] {
  const order = (a: Hit, b: Hit) => a.score - b.score || a.rowid - b.rowid;
  hits.sort(order);
  const chosen: Hit[] = [];
  let covered = 0;
  for (const hit of hits) {
    if (chosen.length < HITS_PER_INCIDENT && hit.groups & ~covered) chosen.push(hit), (covered |= hit.groups);
  }
  for (const hit of hits) {
    if (chosen.length < HITS_PER_INCIDENT && !chosen.includes(hit)) chosen.push(hit);
  }
  return chosen.sort(order);
}

/** Most title matches ranked from the title index (rowid = incident id): a window's companion. */
const TITLE_MATCHES = 500;

/** Incidents (allowed by the filters) whose title matches, best first: id → bm25 of the title. */
function titleMatches(match: string, filter: IncidentFilter): Map<number, number> {
  const rows = prepare(
    `select t.rowid, bm25(search_titles) from search_titles t join incidents i on i.id = t.rowid
     where search_titles match ? and ${filter.sql} order by 2 limit ${TITLE_MATCHES}`,
  ).raw().all(match, ...filter.params) as [number, number][];
  return new Map(rows);
}

/** FTS5 snippets of the given rows (a few dozen: the page's hits). */
function snippetsFor(match: string, rowids: number[]): Map<number, string> {
  if (rowids.length === 0) return new Map();
  // A prefix term is a quoted term followed by *; no quoted term holds a quote of its own.
  const prefix = match.includes('"*');
  const rows = prepare(prefix ? SNIPPET_SQL.pass : SNIPPET_SQL.lookup).raw().all(match, JSON.stringify(rowids)) as [number, string][];
  return new Map(rows);
}

function incidentsById(ids: number[]): Map<number, SearchResult["incident"]> {
  const result = new Map<number, SearchResult["incident"]>();
  if (ids.length === 0) return result;
  const list = JSON.stringify(ids);
  const rows = prepare(
    "select id, title, severity, status, started_at, time_zone, category from incidents where id in (select value from json_each(?))",
  ).raw().all(list) as [number, string, Severity, IncidentStatus, number | null, string, string | null][];
  const services = prepare(
    `select x.incident_id, v.name from incident_services x join services v on v.id = x.service_id
     where x.incident_id in (select value from json_each(?)) order by x.incident_id, x.position`,
  ).raw().all(list) as [number, string][];
  for (const [id, title, severity, status, startedAt, timeZone, category] of rows) {
    result.set(id, { id, title, severity, status, startedAt, timeZone, category, services: [] });
  }
  for (const [incidentId, name] of services) result.get(incidentId)?.services.push(name);
  return result;
}
