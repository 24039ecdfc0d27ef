// What people type into the search box, as FTS5 MATCH expressions: words, "phrases", prefix*,
// -exclusions and OR; everything else is text, never FTS5 syntax. Each expression is also run
// against a real FTS5 table with the index's tokenizer, so "never an FTS5 error" is checked, not assumed.
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

import { MAX_QUERY_TERMS, parseSearchQuery, toMatchQuery } from "~/review/search-query";

const fts = new Database(":memory:");
fts.exec("create virtual table t using fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')");
const insert = fts.prepare("insert into t (title, body) values (?, ?)");
insert.run("Été outage: connection pool exhausted", "The database connection pool ran out; rollback at 17:10");
insert.run("Certificate expired", "TLS handshake failed and NOT NEAR anything; OR AND 🙂");
insert.run("Throttled by the vendor", "Rate limit exceeded: throttling of the partner API");
afterAll(() => fts.close());

/** Titles of the rows a typed query finds. */
function find(typed: string): string[] {
  const match = toMatchQuery(typed);
  if (match === null) return [];
  return fts.prepare("select title from t where t match ? order by rowid").pluck().all(match) as string[];
}

describe("words and phrases", () => {
  it("quotes every word, so all of them must match", () => {
    expect(toMatchQuery("connection pool")).toBe('"connection" AND "pool"');
    expect(find("pool connection")).toEqual(["Été outage: connection pool exhausted"]);
  });

  it("keeps a quoted phrase whole, words in that order", () => {
    expect(toMatchQuery('"connection pool" database')).toBe('"connection pool" AND "database"');
    expect(find('"connection pool"')).toHaveLength(1);
    expect(find('"pool connection"')).toEqual([]);
  });

  it("runs an unmatched quote to the end", () => {
    expect(toMatchQuery('rollback "connection pool')).toBe('"rollback" AND "connection pool"');
    expect(find('"connection pool')).toHaveLength(1);
  });

  it("makes a word ending in * a prefix search, and a phrase ending in * too", () => {
    expect(toMatchQuery("throttl*")).toBe('"throttl"*');
    expect(find("throttl*")).toEqual(["Throttled by the vendor"]);
    expect(toMatchQuery('"connection po"*')).toBe('"connection po"*');
    expect(find('"connection po"*')).toHaveLength(1);
  });

  it("ignores case and accents, as the index does", () => {
    expect(find("ete")).toEqual(["Été outage: connection pool exhausted"]);
    expect(find("ÉTÉ")).toEqual(["Été outage: connection pool exhausted"]);
    expect(find("CERTIFICATE")).toEqual(["Certificate expired"]);
  });
});

describe("operators people mean", () => {
  it("excludes -word when something is left to find", () => {
    expect(toMatchQuery("connection -rollback")).toBe('("connection") NOT ("rollback")');
    expect(find("the -rollback")).toEqual(["Throttled by the vendor"]);
    expect(toMatchQuery('pool -"ran out" -rollback')).toBe('("pool") NOT ("ran out" OR "rollback")');
  });

  it("finds nothing to search for with only excluded words (FTS5 needs a NOT b)", () => {
    const parsed = parseSearchQuery("-rollback -pool");
    expect(parsed.match).toBeNull();
    expect(parsed.onlyExcluded).toBe(true);
  });

  it("treats OR between two terms as either, and AND between two terms as both", () => {
    expect(toMatchQuery("handshake OR throttling")).toBe('("handshake" OR "throttling")');
    expect(find("handshake OR throttling")).toEqual(["Certificate expired", "Throttled by the vendor"]);
    expect(toMatchQuery("pool OR vendor rate")).toBe('("pool" OR "vendor") AND "rate"');
    expect(toMatchQuery("pool AND rollback")).toBe('"pool" AND "rollback"');
  });

  it("gives each include group's expression on its own: what must match somewhere in an incident", () => {
    const parsed = parseSearchQuery('pool OR vendor rate -rollback "connection pool"');
    expect(parsed.groups).toEqual(['("pool" OR "vendor")', '"rate"', '"connection pool"']);
    expect(parsed.match).toBe(`(${parsed.groups.join(" AND ")}) NOT ("rollback")`);
    expect(parseSearchQuery("pool").groups).toEqual(['"pool"']);
    expect(parseSearchQuery("-pool").groups).toEqual([]);
    for (const group of parsed.groups) expect(() => fts.prepare("select count(*) from t where t match ?").get(group)).not.toThrow();
  });

  it("cannot reach the section separator of an incident's document (U+E000, a token of its own)", () => {
    // drizzle/0008 joins an incident's sections with U+E000: a phrase must not run from one into the next.
    const documents = new Database(":memory:");
    documents.exec("create virtual table d using fts5(body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')");
    documents.prepare("insert into d (rowid, body) values (1, ?)").run("Replica gannet \uE000 puffin nodes lagged");
    const found = (typed: string) => documents.prepare("select rowid from d where d match ?").pluck().all(toMatchQuery(typed)!);
    expect(found("gannet puffin")).toEqual([1]);
    expect(found('"gannet puffin"')).toEqual([]);
    expect(found('"puffin nodes"')).toEqual([1]);
    expect(toMatchQuery('"gannet \uE000 puffin"')).toBe('"gannet puffin"');
    expect(found('"gannet \uE000 puffin"')).toEqual([]);
    expect(toMatchQuery("\uE000")).toBeNull();
    documents.close();
  });

  it("searches OR, AND, NOT and NEAR as words when they are not between two terms, or not in capitals", () => {
    expect(toMatchQuery("OR")).toBe('"OR"');
    expect(toMatchQuery("pool OR")).toBe('"pool" AND "OR"');
    expect(toMatchQuery("AND pool")).toBe('"AND" AND "pool"');
    expect(toMatchQuery("a or b")).toBe('"a" AND "or" AND "b"');
    expect(toMatchQuery("NOT")).toBe('"NOT"');
    expect(toMatchQuery("NEAR(a b)")).toBe('"NEAR(a" AND "b)"');
    expect(find("NOT NEAR")).toEqual(["Certificate expired"]);
  });
});

describe("anything else is text", () => {
  const odd = [
    '"', '""', '"""', "*", "**", "-", "--", "-*", '-"', "(", ")", "()", ":", "^", "^pool", "title:pool", "body:rollback", "col:*",
    "NEAR(pool rollback, 2)", "pool NOT", "NOT pool", "AND", "OR OR", "a OR OR b", "OR -x", "pool + rollback", "{title}: pool",
    "pool'; drop table incidents; --", "' OR 1=1 --", "\\", "\\\"", "🙂", "🔥 outage", "\u0301", "\uE000pool\uE001", "e\u0301te\u0301",
    "\u0000", "\t\n", "   ", "", "x".repeat(1_000), "pool ".repeat(200), '"'.repeat(501), "-".repeat(600), "\uD83D",
  ];

  it("never throws, and every expression it makes is one FTS5 accepts", () => {
    for (const typed of odd) {
      const match = toMatchQuery(typed);
      if (match === null) continue;
      expect(() => fts.prepare("select count(*) from t where t match ?").get(match), JSON.stringify(typed)).not.toThrow();
    }
  });

  it("searches column names, carets, brackets and SQL as the words in them", () => {
    expect(toMatchQuery("title:pool")).toBe('"title:pool"');
    expect(find("title:pool")).toEqual([]);
    expect(find("^pool")).toHaveLength(1);
    expect(find("(pool)")).toHaveLength(1);
    expect(find("pool'; drop table t; --")).toEqual([]);
    expect(fts.prepare("select count(*) from t").pluck().get()).toBe(3);
  });

  it("finds emoji, which the index keeps as words", () => {
    expect(find("🙂")).toEqual(["Certificate expired"]);
  });

  it("gives null when nothing searchable is left", () => {
    for (const typed of ["", "   ", '"', '""', "*", "-", "--", ":", "(", "^", "()", "\uE000\uE001", "\t\n", 42, null, undefined, {}]) {
      expect(toMatchQuery(typed), JSON.stringify(typed)).toBeNull();
    }
  });

  it("never lets a typed highlight marker through", () => {
    expect(toMatchQuery("\uE000pool\uE001")).toBe('"pool"');
  });

  it(`caps the input at 500 characters and ${MAX_QUERY_TERMS} terms, saying so`, () => {
    const words = Array.from({ length: 40 }, (_, index) => `w${index}`).join(" ");
    const parsed = parseSearchQuery(words);
    expect(parsed.truncated).toBe(true);
    expect(parsed.include).toHaveLength(MAX_QUERY_TERMS);
    expect(parsed.match).toContain('"w29"');
    expect(parsed.match).not.toContain('"w30"');

    const long = parseSearchQuery("x".repeat(1_000));
    expect(long.truncated).toBe(true);
    expect(long.match).toBe(`"${"x".repeat(500)}"`);
    expect(parseSearchQuery("pool rollback").truncated).toBe(false);
  });

  it("cuts at the cap without leaving half an emoji", () => {
    const parsed = parseSearchQuery(`${"a".repeat(499)}🙂`);
    expect(parsed.match).toBe(`"${"a".repeat(499)}"`);
  });
});
