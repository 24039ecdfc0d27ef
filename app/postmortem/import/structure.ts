// From raw Markdown (as teams really write it) to titled sections of lines.

export type Role =
  | "summary"
  | "impact"
  | "duration"
  | "timeline"
  | "rootCause"
  | "rootCauseAndResolution"
  | "detection"
  | "resolution"
  | "actions"
  | "lessons"
  | "unknown";

export type Line = { text: string; number: number; code: boolean };
export type Section = { role: Role; heading: string; level: number; lines: Line[] };
export type Structure = { title: string | null; frontMatter: Record<string, string>; frontMatterText: string; preamble: Line[]; sections: Section[] };

const ROLE_PATTERNS: [RegExp, Role][] = [
  [/\b(timeline|chronology|sequence of events|time ?line|events)\b/, "timeline"],
  [/\b(action items?|corrective|preventi(ve|ative)|follow[- ]?ups?|next steps|to ?dos?|action plan|measures|remediation items|actions|doing about it|going forward|prevent (this|it) from|improvements)\b/, "actions"],
  [/root causes?\b.*\b(resolution|recovery|fix)|cause and (resolution|fix)/, "rootCauseAndResolution"],
  [/\b(root causes?|root cause analysis|rca|causes?|trigger|contributing factors|why did (it|this) happen|what caused)\b/, "rootCause"],
  [/\b(lessons?( learned)?|what went (well|wrong|badly)|where we got lucky|takeaways|learnings|retrospective|reflections?)\b/, "lessons"],
  [/\b(resolution|recovery|remediation|mitigation|how (it was|we) (fixed|resolved|recovered)|how did we fix|the fix|fix(es)?)\b/, "resolution"],
  [/\b(detection|how (it was|we) (detected|noticed))\b/, "detection"],
  [/\b(impact|who was affected|customer impact|user impact|blast radius)\b/, "impact"],
  [/^duration\b/, "duration"],
  [/\b(summary|overview|what happened|description|background|incident|issue|tl;?dr|context)\b/, "summary"],
];

/** The role a heading's words name, or null for a heading that names no known section. */
export function roleOf(heading: string): Role | null {
  const words = heading
    .toLowerCase()
    .replace(/<[^>]+>/g, "")
    .replace(/[*_`#]/g, "")
    .replace(/^[^a-z]*(\d+[.)]\s*)?/, "")
    .replace(/[^a-z0-9;&/?' -]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (!words || words.length > 80) return null;
  for (const [pattern, role] of ROLE_PATTERNS) if (pattern.test(words)) return role;
  return null;
}

function parseFrontMatter(lines: string[]): { values: Record<string, string>; end: number; text?: string } {
  if (lines[0]?.trim() !== "---") return { values: {}, end: 0 };
  const close = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line));
  const body = close > 0 ? lines.slice(1, close) : [];
  // Only key: value lines make front matter; a lone "---" that never closes is a rule, dropped.
  if (close < 0 || close > 80 || !body.every((line) => !line.trim() || /^[\w -]+:/.test(line) || /^\s+/.test(line))) {
    return { values: {}, end: 1 };
  }
  const values: Record<string, string> = {};
  for (const line of body) {
    const match = /^([\w -]+):\s*(.*)$/.exec(line);
    if (match) values[match[1].trim().toLowerCase()] = match[2].trim().replace(/^["']|["']$/g, "");
  }
  return { values, end: close + 1, text: body.join("\n").trim() };
}

/** HTML written by word processors and wikis, brought back to Markdown-ish lines. */
function htmlToMarkdown(text: string): string {
  if (!/<\/?(h[1-6]|b|strong|p|br|li|ul|ol|div|table|tr|td|th)\b/i.test(text)) return text;
  return text
    .replace(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/gi, (_match, level: string, inner: string) => `\n${"#".repeat(Number(level))} ${inner.trim()}\n`)
    .replace(/^\s*<(b|strong)>([^<\n]+)<\/\1>\s*$/gim, (_match, _tag, inner: string) => `**${inner.trim()}**`)
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<li[^>]*>/gi, "\n- ")
    .replace(/<\/(p|div|li|ul|ol|tr|table)>/gi, "\n")
    .replace(/<t[dh][^>]*>/gi, " | ")
    .replace(/<(p|div|ul|ol|tr|table|tbody|thead)[^>]*>/gi, "\n")
    .replace(/<\/?(b|strong|em|i|span|font|u|t[dh]|tbody|thead)[^>]*>/gi, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">");
}

/** A document wrapped whole in a code fence that never closes (pasted from a chat) is unwrapped. */
function unwrapOpenFence(lines: string[]): string[] {
  const first = lines.findIndex((line) => line.trim() !== "");
  if (first < 0 || !/^(```|~~~)/.test(lines[first].trim())) return lines;
  const fence = lines[first].trim().slice(0, 3);
  const closes = lines.slice(first + 1).filter((line) => line.trim().startsWith(fence)).length;
  const lastIndex = lines.length - 1 - [...lines].reverse().findIndex((line) => line.trim() !== "");
  if (closes === 0) return lines.slice(first + 1);
  if (closes === 1 && lines[lastIndex].trim() === fence) return lines.slice(first + 1, lastIndex);
  return lines;
}

type Heading = { text: string; level: number; consumesNext: boolean; rest?: string };

const ALL_CAPS = /^[A-Z][A-Z0-9 &/()'’,.?!:-]{2,60}$/;

/** Whether a line is a heading, in any of the ways people make one. */
function headingOf(line: string, next: string | undefined): Heading | null {
  const trimmed = line.trim();
  if (!trimmed) return null;
  const atx = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(trimmed);
  if (atx) return { text: atx[2], level: atx[1].length, consumesNext: false };
  if (next !== undefined && !/^\s*([-*+•]|\d+[.)])\s/.test(line) && !trimmed.startsWith("|")) {
    if (/^=+\s*$/.test(next) && trimmed.length < 120) return { text: trimmed, level: 1, consumesNext: true };
    if (/^-{2,}\s*$/.test(next) && trimmed.length < 120) return { text: trimmed, level: 2, consumesNext: true };
  }
  const bold = /^(?:\*\*|__)([^*_]+?)(?:\*\*|__)\s*:?\s*(.*)$/.exec(trimmed);
  if (bold && roleOf(bold[1])) {
    // "**Root cause:** the pool was too small" is a labelled paragraph: a heading with its text.
    return { text: bold[1].replace(/:\s*$/, ""), level: 3, consumesNext: false, rest: bold[2] || undefined };
  }
  if (bold && !bold[2] && bold[1].length < 80) return { text: bold[1], level: 4, consumesNext: false };
  const numbered = /^\d+[.)]\s+(.*?):?\s*$/.exec(trimmed);
  if (numbered && roleOf(numbered[1]) && numbered[1].length < 50 && !/[.!?]$/.test(numbered[1])) return { text: numbered[1], level: 2, consumesNext: false };
  // "TIMELINE (all times EST)": capitals before an aside in brackets.
  const capitals = trimmed.replace(/\s*\([^)]*\)\s*:?$/, "");
  if (ALL_CAPS.test(capitals) && /[A-Z]{3}/.test(capitals) && roleOf(capitals)) return { text: trimmed.replace(/:$/, ""), level: 2, consumesNext: false };
  const colon = /^([A-Za-z][A-Za-z ?&'/-]{2,50}):\s*$/.exec(trimmed);
  if (colon && roleOf(colon[1])) return { text: colon[1], level: 3, consumesNext: false };
  // A short line that is only a section's name ("Root Cause", "Corrective Actions"), as word processors leave them.
  if (trimmed.split(/\s+/).length <= 4 && !/[.!?,;]$/.test(trimmed) && /^[\p{Lu}]/u.test(trimmed) && roleOf(trimmed) && roleOf(trimmed) !== "summary") {
    return { text: trimmed, level: 3, consumesNext: false };
  }
  if (/^(incident |issue |executive )?summary$/i.test(trimmed) || /^overview$/i.test(trimmed)) return { text: trimmed, level: 3, consumesNext: false };
  const emoji = /^\p{Extended_Pictographic}\uFE0F?\s*(.{3,60})$/u.exec(trimmed);
  if (emoji && roleOf(emoji[1])) return { text: emoji[1].replace(/:$/, ""), level: 2, consumesNext: false };
  return null;
}

export function structure(markdown: string): Structure {
  let lines = markdown.replace(/\r\n?/g, "\n").replace(/^\uFEFF/, "").split("\n");
  const frontMatter = parseFrontMatter(lines);
  lines = unwrapOpenFence(lines.slice(frontMatter.end));
  lines = htmlToMarkdown(lines.join("\n")).split("\n");

  const preamble: Line[] = [];
  const sections: Section[] = [];
  let title: string | null = frontMatter.values.title ?? null;
  let current: Section | null = null;
  let fence: string | null = null;

  for (let index = 0; index < lines.length; index++) {
    const text = lines[index];
    const number = index + 1;
    const fenceMark = /^\s*(```|~~~)/.exec(text)?.[1];
    if (fence) {
      if (fenceMark === fence) fence = null;
      (current?.lines ?? preamble).push({ text, number, code: true });
      continue;
    }
    if (fenceMark) {
      fence = fenceMark;
      (current?.lines ?? preamble).push({ text, number, code: true });
      continue;
    }
    const heading = headingOf(text, lines[index + 1]);
    if (heading) {
      const role = roleOf(heading.text);
      // The document's first heading names it, even "Incident report: card payments failing".
      const wordCount = heading.text.split(/\s+/).length;
      if (!title && sections.length === 0 && (!role || (heading.level === 1 && role === "summary") || (role === "summary" && wordCount > 4))) {
        title = heading.text.replace(/[*_]/g, "").trim();
        if (heading.consumesNext) index++;
        continue;
      }
      if (role && !(role === "summary" && current && heading.level > current.level)) {
        current = { role, heading: heading.text, level: heading.level, lines: [] };
        sections.push(current);
        if (heading.rest) current.lines.push({ text: heading.rest, number, code: false });
        if (heading.consumesNext) index++;
        continue;
      }
      // An unknown heading as high as the current section's own ends it: its text is not that section's.
      if (current && heading.level <= current.level && heading.level <= 2) {
        current = { role: "unknown", heading: heading.text, level: heading.level, lines: [] };
        sections.push(current);
        if (heading.consumesNext) index++;
        continue;
      }
    }
    (current?.lines ?? preamble).push({ text, number, code: false });
  }
  // "Fixes" or "Remediation" that is a list of things to do is the action items.
  for (const section of sections) {
    if (section.role !== "resolution" || !/\b(remediation|fix(es)?)\b/i.test(section.heading)) continue;
    const filled = section.lines.filter((line) => line.text.trim() && !line.code);
    const listed = filled.filter((line) => /^\s*([-*+•]|\d+[.)])\s/.test(line.text)).length;
    if (listed >= 2 && listed * 2 >= filled.length && !sections.some((other) => other.role === "actions")) section.role = "actions";
  }
  if (!title) {
    const first = preamble.find((line) => line.text.trim() && !line.code);
    if (first && first.text.trim().length < 120) title = first.text.trim().replace(/^[#*_\s]+|[*_\s]+$/g, "");
  }
  return { title, frontMatter: frontMatter.values, frontMatterText: frontMatter.text ?? "", preamble, sections };
}
