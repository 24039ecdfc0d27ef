// How much of a source document's wording an export still holds: the measure
// behind "import without losing a word". Pure.

const MONTHS: Record<string, string> = {
  jan: "january", feb: "february", mar: "march", apr: "april", jun: "june", jul: "july",
  aug: "august", sep: "september", oct: "october", nov: "november", dec: "december",
};

function words(markdown: string): Map<string, number> {
  // What a reader sees: HTML tags and Markdown link targets are markup, not words.
  const visible = markdown
    .replace(/<[^>]+>/g, " ")
    .replace(/\]\([^)]*\)/g, "]")
    .toLowerCase()
    // Numbers are not words: "12th" is a date, not the word "th"; "a.m." is "am".
    .replace(/\b(\d+)(st|nd|rd|th)\b/g, "$1")
    .replace(/\b([ap])\.m\.?/g, "$1m")
    .replace(/\b(jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?/g, (month) => MONTHS[month.slice(0, 3)] ?? month);
  const counts = new Map<string, number>();
  for (const word of visible.match(/\p{L}[\p{L}'’]*/gu) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/** The share of the source's words (counting repeats) found in the export, and which words fell short. */
export function wordCoverage(source: string, exported: string): { coverage: number; missing: string[] } {
  const want = words(source);
  const have = words(exported);
  let total = 0;
  let kept = 0;
  const missing: string[] = [];
  for (const [word, count] of want) {
    total += count;
    const found = Math.min(count, have.get(word) ?? 0);
    kept += found;
    if (found < count) missing.push(word);
  }
  return { coverage: total ? kept / total : 1, missing };
}
