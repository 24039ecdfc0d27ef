// Time zones as postmortems write them: abbreviations, offsets and spelled-out names.
import { normalizeTimeZone } from "~/lib/time";

export type ZoneMention = {
  /** The zone as Hindsight stores it: "GMT+3", "UTC", "America/New_York". */
  zone: string;
  /** The text as found, for warnings. */
  text: string;
  /** Set when the abbreviation means different zones to different readers. */
  ambiguous?: string;
};

/** Fixed abbreviations: each is one offset whatever the date. */
const ABBREVIATIONS: Record<string, { zone: string; ambiguous?: string }> = {
  UTC: { zone: "UTC" },
  GMT: { zone: "UTC" },
  Z: { zone: "UTC" },
  WAT: { zone: "GMT+1" },
  CAT: { zone: "GMT+2" },
  EAT: { zone: "GMT+3" },
  SAST: { zone: "GMT+2" },
  CET: { zone: "GMT+1" },
  CEST: { zone: "GMT+2" },
  BST: { zone: "GMT+1" },
  IST: { zone: "GMT+5:30", ambiguous: "IST was read as India Standard Time (UTC+5:30); it also names Irish and Israel Standard Time" },
  EST: { zone: "UTC-5" },
  EDT: { zone: "UTC-4" },
  CST: { zone: "UTC-6", ambiguous: "CST was read as US Central Standard Time (UTC-6); it also names China Standard Time" },
  CDT: { zone: "UTC-5" },
  MST: { zone: "UTC-7" },
  MDT: { zone: "UTC-6" },
  PST: { zone: "UTC-8" },
  PDT: { zone: "UTC-7" },
  JST: { zone: "GMT+9" },
  AEST: { zone: "GMT+10" },
  AEDT: { zone: "GMT+11" },
  // Generic names follow daylight saving, so they are real zones.
  ET: { zone: "America/New_York" },
  CT: { zone: "America/Chicago" },
  MT: { zone: "America/Denver" },
  PT: { zone: "America/Los_Angeles" },
};

const SPELLED: [RegExp, string][] = [
  [/\bwest(?:ern)?\s+africa(?:n)?\s+(?:standard\s+)?time\b/i, "WAT"],
  [/\bcentral\s+africa(?:n)?\s+(?:standard\s+)?time\b/i, "CAT"],
  [/\beast(?:ern)?\s+africa(?:n)?\s+(?:standard\s+)?time\b/i, "EAT"],
  [/\bsouth\s+africa(?:n)?\s+standard\s+time\b/i, "SAST"],
  [/\bcentral\s+european\s+summer\s+time\b/i, "CEST"],
  [/\bcentral\s+european\s+(?:standard\s+)?time\b/i, "CET"],
  [/\bbritish\s+summer\s+time\b/i, "BST"],
  [/\bindia(?:n)?\s+standard\s+time\b/i, "IST"],
  [/\beastern\s+daylight\s+time\b/i, "EDT"],
  [/\beastern\s+standard\s+time\b/i, "EST"],
  [/\beastern\s+time\b/i, "ET"],
  [/\bpacific\s+daylight\s+time\b/i, "PDT"],
  [/\bpacific\s+standard\s+time\b/i, "PST"],
  [/\bpacific\s+time\b/i, "PT"],
  [/\bcentral\s+time\b/i, "CT"],
  [/\bcoordinated\s+universal\s+time\b/i, "UTC"],
  [/\bgreenwich\s+mean\s+time\b/i, "GMT"],
];

const IANA_ALIASES: Record<string, string> = {
  "us/pacific": "America/Los_Angeles",
  "us/eastern": "America/New_York",
  "us/central": "America/Chicago",
  "us/mountain": "America/Denver",
};

/** An offset written after a zone or alone: GMT+3, UTC-4, GMT+03:00, UTC+5:30, +03:00. */
const OFFSET = /\b(?:GMT|UTC)\s*[+\-\u2212]\s*\d{1,2}(?::?\d{2})?\b/i;
const ABBREVIATION = new RegExp(`\\b(${Object.keys(ABBREVIATIONS).filter((key) => key !== "Z").join("|")})\\b`);
const IANA = /\b(?:[A-Z][a-z]+(?:_[A-Z][a-z]+)*\/[A-Z][A-Za-z_]+(?:\/[A-Z][A-Za-z_]+)?|US\/(?:Pacific|Eastern|Central|Mountain))\b/;

/** The first zone named in a piece of text, if any. */
export function findZone(text: string): ZoneMention | null {
  const offset = OFFSET.exec(text);
  if (offset) {
    const zone = normalizeTimeZone(offset[0].replace(/\s+/g, "").replace("\u2212", "-"));
    if (zone) return { zone, text: offset[0] };
  }
  for (const [pattern, abbreviation] of SPELLED) {
    const match = pattern.exec(text);
    if (match) return { ...ABBREVIATIONS[abbreviation], text: match[0] };
  }
  const iana = IANA.exec(text);
  if (iana) {
    const zone = IANA_ALIASES[iana[0].toLowerCase()] ?? normalizeTimeZone(iana[0]);
    if (zone) return { zone, text: iana[0] };
  }
  const abbreviation = ABBREVIATION.exec(text);
  if (abbreviation) return { ...ABBREVIATIONS[abbreviation[1]], text: abbreviation[1] };
  return null;
}

/** The pattern of any zone mention, to strip zones from a line once read. */
export const ZONE_PATTERN = new RegExp(
  `(?:${OFFSET.source}|${SPELLED.map(([pattern]) => pattern.source).join("|")}|${IANA.source}|${ABBREVIATION.source})`,
  "i",
);
