// Zone abbreviations and spelled-out names as postmortems write them, one table
// for the importer and the review checklist. Pure.

/** Fixed abbreviations are one offset whatever the date; generic names (ET, PT) follow daylight saving. */
export const ZONE_ABBREVIATIONS: Record<string, { zone: string; ambiguous?: string }> = {
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
  ET: { zone: "America/New_York" },
  CT: { zone: "America/Chicago" },
  MT: { zone: "America/Denver" },
  PT: { zone: "America/Los_Angeles" },
};

/** Spelled-out names, each standing for one of the abbreviations above. */
export const SPELLED_ZONES: [RegExp, string][] = [
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
  [/\bmountain\s+time\b/i, "MT"],
  [/\bcoordinated\s+universal\s+time\b/i, "UTC"],
  [/\bgreenwich\s+mean\s+time\b/i, "GMT"],
];

/** The zone an abbreviation or spelled-out name stands for ("PST", "Eastern time"), or null. */
export function zoneForName(written: string): string | null {
  const abbreviation = ZONE_ABBREVIATIONS[written.trim().toUpperCase()];
  if (abbreviation) return abbreviation.zone;
  const spelled = SPELLED_ZONES.find(([pattern]) => pattern.test(written));
  return spelled ? ZONE_ABBREVIATIONS[spelled[1]].zone : null;
}
