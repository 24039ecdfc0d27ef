// Time zones as postmortems write them: abbreviations, offsets and spelled-out names.
import { normalizeTimeZone } from "~/lib/time";
import { SPELLED_ZONES as SPELLED, ZONE_ABBREVIATIONS as ABBREVIATIONS } from "~/lib/zone-names";

export type ZoneMention = {
  /** The zone as Hindsight stores it: "GMT+3", "UTC", "America/New_York". */
  zone: string;
  /** The text as found, for warnings. */
  text: string;
  /** Set when the abbreviation means different zones to different readers. */
  ambiguous?: string;
};

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
