// What a person types into the search box, turned into an SQLite FTS5 MATCH expression.
// Pure and total: any text gives a safe expression or null, never an FTS5 syntax error.
//
// Supported:  words (all must match)   "a phrase"   an unmatched "quote runs to the end
//             prefix*   -excluded   -"excluded phrase"   a OR b   a AND b (same as a b)
// `match` is for a whole incident's text (search_documents: each word anywhere in it, an
// excluded word nowhere in it); `groups` are the parts that must each match, for the sections.
// Everything else (NOT, NEAR, :, ^, (, ), +, column names) is searched as the words it
// contains: each term is a double-quoted FTS5 string, which the tokenizer splits as it
// splits the indexed text, so nothing a person types is ever FTS5 syntax.

/** Longest input read; the rest is ignored. */
export const MAX_QUERY_LENGTH = 500;
/** Most terms (words and phrases, included or excluded) kept. */
export const MAX_QUERY_TERMS = 30;

export type SearchTerm = { text: string; phrase: boolean; prefix: boolean };

export type ParsedSearchQuery = {
  /** The MATCH expression, or null when nothing searchable is left. */
  match: string | null;
  /** Groups that must all match; the terms of one group are alternatives (a OR b). */
  include: SearchTerm[][];
  /** The MATCH expression of each include group on its own (`match` is them AND-ed, NOT the exclusions). */
  groups: string[];
  exclude: SearchTerm[];
  /** Whether the input was cut at MAX_QUERY_LENGTH characters or MAX_QUERY_TERMS terms. */
  truncated: boolean;
  /** Whether excluded terms were dropped because nothing was left to include. */
  onlyExcluded: boolean;
};

/**
 * Around each matched word in a snippet: private-use characters, never HTML. The page splits on
 * them and renders <mark> with React, so no indexed text is ever markup. Shared with the browser.
 */
export const MATCH_START = "\uE000";
export const MATCH_END = "\uE001";

type Item = { kind: "term"; term: SearchTerm; negated: boolean } | { kind: "or" | "and"; word: string };

// Typed markers are dropped, so they can never pose as a highlight.
const MARKERS = /[\uE000\uE001]/g;
const ASCII_TOKEN = /[A-Za-z0-9]/;
// unicode61 indexes letters, numbers, marks and (in current SQLite) symbols such as emoji;
// ASCII punctuation and symbols are separators.
const UNICODE_TOKEN = /[\p{L}\p{N}\p{M}\p{S}\p{Co}]/u;

function searchable(text: string): boolean {
  for (const char of text) {
    if (char.charCodeAt(0) < 128 ? ASCII_TOKEN.test(char) : UNICODE_TOKEN.test(char)) return true;
  }
  return false;
}

/** Splits the input into words, phrases and the OR / AND connectors. */
function scan(input: string): Item[] {
  const items: Item[] = [];
  let index = 0;
  while (index < input.length) {
    const char = input[index];
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    let negated = false;
    if (char === "-" && index + 1 < input.length && !/\s/.test(input[index + 1])) {
      negated = true;
      index++;
    }
    if (input[index] === '"') {
      const close = input.indexOf('"', index + 1);
      const end = close === -1 ? input.length : close;
      const text = input.slice(index + 1, end).replace(/\s+/g, " ").trim();
      index = close === -1 ? input.length : close + 1;
      // "a phrase"* makes its last word a prefix, as FTS5 does.
      const prefix = input[index] === "*";
      if (prefix) index++;
      items.push({ kind: "term", term: { text, phrase: true, prefix }, negated });
      continue;
    }
    let end = index;
    while (end < input.length && !/\s/.test(input[end]) && input[end] !== '"') end++;
    const word = input.slice(index, end);
    index = end;
    if (!negated && (word === "OR" || word === "AND")) {
      items.push({ kind: word === "OR" ? "or" : "and", word });
      continue;
    }
    const prefix = /\*+$/.test(word);
    items.push({ kind: "term", term: { text: word.replace(/\*+$/, "").replace(/^\*+/, ""), phrase: false, prefix }, negated });
  }
  return items;
}

function quote(term: SearchTerm): string {
  return `"${term.text.replace(/"/g, '""')}"${term.prefix ? "*" : ""}`;
}

function group(terms: SearchTerm[]): string {
  return terms.length === 1 ? quote(terms[0]) : `(${terms.map(quote).join(" OR ")})`;
}

export function parseSearchQuery(raw: unknown): ParsedSearchQuery {
  const text = typeof raw === "string" ? raw : "";
  // Cut at the cap without splitting a surrogate pair (an emoji) in two.
  const input = text.slice(0, MAX_QUERY_LENGTH).replace(/[\uD800-\uDBFF]$/, "").replace(MARKERS, "");
  let truncated = text.length > MAX_QUERY_LENGTH;

  // Terms with nothing the tokenizer would index ("-", ":", "(") are dropped; so is anything past the cap.
  const items: Item[] = [];
  let terms = 0;
  for (const item of scan(input)) {
    if (item.kind !== "term") {
      items.push(item);
      continue;
    }
    if (!searchable(item.term.text)) continue;
    if (terms === MAX_QUERY_TERMS) {
      truncated = true;
      break;
    }
    terms++;
    items.push(item);
  }

  const include: SearchTerm[][] = [];
  const exclude: SearchTerm[] = [];
  const isPositive = (item: Item | undefined) => item?.kind === "term" && !item.negated;
  let joinNext = false;
  items.forEach((item, position) => {
    if (item.kind !== "term") {
      const between = isPositive(items[position - 1]) && isPositive(items[position + 1]);
      if (between) {
        joinNext = item.kind === "or";
        return;
      }
      // An OR or AND with no term on one side is just the word.
      item = { kind: "term", term: { text: item.word, phrase: false, prefix: false }, negated: false };
      if (terms === MAX_QUERY_TERMS) return;
      terms++;
    }
    if (item.negated) {
      exclude.push(item.term);
    } else if (joinNext && include.length) {
      include[include.length - 1].push(item.term);
    } else {
      include.push([item.term]);
    }
    joinNext = false;
  });

  if (include.length === 0) {
    return { match: null, include, groups: [], exclude: [], truncated, onlyExcluded: exclude.length > 0 };
  }
  // FTS5 cannot search for "everything but": exclusions need something included (a NOT b).
  const groups = include.map(group);
  const positive = groups.join(" AND ");
  const match = exclude.length
    ? `(${positive}) NOT (${exclude.map(quote).join(" OR ")})`
    : positive;
  return { match, include, groups, exclude, truncated, onlyExcluded: false };
}

/** The FTS5 MATCH expression for what a person typed, or null when nothing searchable is left. */
export function toMatchQuery(raw: unknown): string | null {
  try {
    return parseSearchQuery(raw).match;
  } catch {
    return null;
  }
}
