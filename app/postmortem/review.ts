// The review checklist: is a postmortem complete and consistent enough to close
// the review meeting? Pure: the page, the API and the CLI all call this.
// Reasons talk about the document and the systems, never about people.
import { formatDate, formatTime, localDate, zoneLabel, type ZoneName } from "~/lib/time";
import type { ActionInput, IncidentInput, TimelineInput } from "~/lib/validation";
import { OPEN_INCIDENT_STATUSES } from "~/lib/vocabulary";

import { formatPercent } from "~/lib/impact";
import { findStatedEnds, type StatedEnd, type StatedField } from "./stated-times";

export const REVIEW_CHECK_IDS = [
  "impact-quantified",
  "times-present-and-ordered",
  "timeline-ordered",
  "stated-end-agrees",
  "root-cause-present",
  "actions-complete",
  "preventive-action",
  "blameless-wording",
  "placeholders",
] as const;
export type ReviewCheckId = (typeof REVIEW_CHECK_IDS)[number];
export type ReviewResult = "pass" | "warn" | "fail";
export type ReviewSection = "summary" | "impact" | "timeline" | "root-cause" | "resolution" | "actions" | "lessons" | "details";
export type ReviewCheck = { id: ReviewCheckId; title: string; result: ReviewResult; reason: string; section: ReviewSection };

const TITLES: Record<ReviewCheckId, string> = {
  "impact-quantified": "Impact is quantified",
  "times-present-and-ordered": "Start, detection and resolution times are present and in order",
  "timeline-ordered": "Timeline is in order",
  "stated-end-agrees": "The stated end agrees with the timeline",
  "root-cause-present": "Root cause is present and is not only the fix",
  "actions-complete": "Every action has an owner, a due date and a type",
  "preventive-action": "At least one preventive action",
  "blameless-wording": "Blameless wording",
  placeholders: "No placeholders left",
};

/** Stated ends this far from the recorded end are a disagreement, not rounding. */
export const STATED_END_TOLERANCE_MS = 10 * 60_000;

function check(id: ReviewCheckId, result: ReviewResult, section: ReviewSection, reason: string): ReviewCheck {
  return { id, title: TITLES[id], result, reason, section };
}

/** "4:20 PM GMT+3", with the date when it is not the start's day. */
function when(ms: number, zone: ZoneName, startDate: string | null): string {
  const time = `${formatTime(ms, zone)} ${zoneLabel(ms, zone)}`;
  return startDate === localDate(ms, zone) ? time : `${formatDate(ms, zone)}, ${time}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------

function impactQuantified(incident: IncidentInput): ReviewCheck {
  if (incident.impactPercent !== null) {
    return check("impact-quantified", "pass", "impact", `Impact is quantified: ${formatPercent(incident.impactPercent)} of users affected`);
  }
  if (incident.impactDescription.trim()) {
    return check("impact-quantified", "warn", "impact", "Impact is described but not measured: add the share of users or requests affected");
  }
  return check("impact-quantified", "fail", "impact", "No impact recorded: add the share of users affected and what they could not do");
}

function timesPresentAndOrdered(incident: IncidentInput, startDate: string | null): ReviewCheck {
  const { startedAt, detectedAt, mitigatedAt, resolvedAt, timeZone } = incident;
  const stillOpen = OPEN_INCIDENT_STATUSES.includes(incident.status);
  const failures: string[] = [];
  const warnings: string[] = [];
  if (startedAt === null) failures.push("no start time");
  if (detectedAt === null) warnings.push("no detection time");
  if (resolvedAt === null) (stillOpen ? warnings : failures).push(stillOpen ? "not resolved yet" : "no resolution time");
  const times = [
    ["the start", startedAt],
    ["detection", detectedAt],
    ["mitigation", mitigatedAt],
    ["resolution", resolvedAt],
  ] as const;
  const mustPrecede: Array<[number, number]> = [[0, 1], [0, 2], [0, 3], [1, 3], [2, 3]];
  for (const [earlier, later] of mustPrecede) {
    const [earlierName, earlierMs] = times[earlier];
    const [laterName, laterMs] = times[later];
    if (earlierMs !== null && laterMs !== null && laterMs < earlierMs) {
      const name = laterName.charAt(0).toUpperCase() + laterName.slice(1);
      failures.push(`${name} (${when(laterMs, timeZone, startDate)}) is before ${earlierName} (${when(earlierMs, timeZone, startDate)})`);
    }
  }
  const problems = [...failures, ...warnings];
  if (problems.length) {
    const text = problems.join("; ");
    return check("times-present-and-ordered", failures.length ? "fail" : "warn", "details", `Incident times: ${text}`);
  }
  const shown = [startedAt, detectedAt, resolvedAt].map((ms) => when(ms as number, timeZone, startDate));
  return check("times-present-and-ordered", "pass", "details", `Started ${shown[0]}, detected ${shown[1]}, resolved ${shown[2]}: in order`);
}

function timelineOrdered(incident: IncidentInput, timeline: TimelineInput[], startDate: string | null): ReviewCheck {
  const zone = incident.timeZone;
  if (timeline.length === 0) return check("timeline-ordered", "fail", "timeline", "The timeline has no entries: add what happened and when");
  const outOfOrder = timeline.flatMap((entry, index) =>
    index > 0 && entry.occurredAt < timeline[index - 1].occurredAt ? [index] : [],
  );
  if (outOfOrder.length) {
    const index = outOfOrder[0];
    const first = `entry ${index + 1} (${when(timeline[index].occurredAt, zone, startDate)}) is listed after entry ${index} (${when(timeline[index - 1].occurredAt, zone, startDate)})`;
    const more = outOfOrder.length > 1 ? `, and ${plural(outOfOrder.length - 1, "more entry", "more entries")}` : "";
    return check("timeline-ordered", "fail", "timeline", `The timeline is out of order: ${first}${more}`);
  }
  const { startedAt, resolvedAt } = incident;
  const outside = timeline.flatMap((entry, index) =>
    (startedAt !== null && entry.occurredAt < startedAt) || (resolvedAt !== null && entry.occurredAt > resolvedAt) ? [index] : [],
  );
  if (outside.length) {
    const window = `${startedAt !== null ? when(startedAt, zone, startDate) : "the start"} to ${resolvedAt !== null ? when(resolvedAt, zone, startDate) : "now"}`;
    const index = outside[0];
    const entries = outside.length === 1 ? `Entry ${index + 1}` : `${outside.length} entries (first: entry ${index + 1})`;
    return check(
      "timeline-ordered",
      "warn",
      "timeline",
      `${entries} at ${when(timeline[index].occurredAt, zone, startDate)} ${outside.length === 1 ? "falls" : "fall"} outside the incident's window, ${window}`,
    );
  }
  return check("timeline-ordered", "pass", "timeline", `${plural(timeline.length, "entry", "entries")} in time order, within the incident's start and resolution`);
}

const FIELD_NAMES: Record<StatedField, string> = { summary: "The summary", impact: "The impact description", resolution: "The resolution" };

function statedEndAgrees(incident: IncidentInput, timeline: TimelineInput[], startDate: string | null): ReviewCheck {
  const zone = incident.timeZone;
  const stated = findStatedEnds(
    [
      { field: "summary", text: incident.summary },
      { field: "impact", text: incident.impactDescription },
      { field: "resolution", text: incident.resolution },
    ],
    { timeZone: zone, startedAt: incident.startedAt, referenceDate: startDate },
  )[0] as StatedEnd | undefined;
  if (!stated) return check("stated-end-agrees", "pass", "summary", "No end time or duration is stated in the summary, impact or resolution to contradict the timeline");

  const section: ReviewSection = stated.field;
  const endText = when(stated.endsAt, zone, startDate);
  const writtenAs = stated.writtenZone ? ` (${formatTime(stated.endsAt, stated.writtenZone)} ${zoneLabel(stated.endsAt, stated.writtenZone)} as written)` : "";
  const says = `${FIELD_NAMES[stated.field]} says the outage lasted ${stated.durationText ? `${stated.durationText} (until ${endText})` : `until ${endText}${writtenAs}`}`;

  const resolutionEntries = timeline.filter((entry) => entry.kind === "resolution");
  const lastResolution = resolutionEntries.length ? Math.max(...resolutionEntries.map((entry) => entry.occurredAt)) : null;
  const targets: Array<[string, number | null]> = [
    ["the resolution time is", incident.resolvedAt],
    ["the timeline resolves it at", lastResolution],
  ];
  const known = targets.filter((target): target is [string, number] => target[1] !== null);
  if (known.length === 0) return check("stated-end-agrees", "warn", section, `${says}, but there is no resolution time or resolution entry to compare with`);
  const disagreeing = known.filter(([, ms]) => Math.abs(ms - stated.endsAt) > STATED_END_TOLERANCE_MS);
  if (disagreeing.length) {
    const recorded = disagreeing.map(([phrase, ms]) => `${phrase} ${when(ms, zone, startDate)}`).join(" and ");
    return check("stated-end-agrees", "fail", section, `${says}; ${recorded}`);
  }
  return check("stated-end-agrees", "pass", section, `${says}, which agrees with the recorded resolution`);
}

// ---------------------------------------------------------------------------

const FIX_WORDS =
  /\b(restart(?:ed|ing|s)?|reboot(?:ed|ing|s)?|roll(?:ed|ing)? ?back|revert(?:ed|ing)?|re-?deploy(?:ed|ing|ment)?|clear(?:ed|ing)? (?:the |a )?caches?|flush(?:ed|ing)?|fail(?:ed|ing)? ?over|scal(?:ed|ing) (?:up|out)|power[- ]cycl(?:ed|ing)|bounc(?:ed|ing)|kill(?:ed|ing) the|re-?ran|hot-?fix(?:ed)?|patch(?:ed|ing))\b/i;
const CAUSE_WORDS =
  /\b(because|due to|caused|causing|as a result of|result(?:ed)? (?:of|from)|led to|triggered|misconfigur\w*|bugs?|regression|expir(?:ed|y|ation)|exhaust(?:ed|ion)|leak\w*|race condition|deadlock\w*|overload\w*|saturat\w*|ran out|run out|exceed(?:ed|s)?|missing|incorrect\w*|wrong|invalid|typo|corrupt\w*|disk (?:was )?full|unbounded|untested|without (?:a|an|any) (?:test|check|alert|limit|validation|review)|introduc\w*|defect\w*|flaw\w*|vulnerab\w*|outdated|stale|deprecated)\b/i;

function rootCausePresent(incident: IncidentInput): ReviewCheck {
  const text = incident.rootCause.trim();
  if (!text) return check("root-cause-present", "fail", "root-cause", "The root cause is empty: say what failed in the system and why");
  if (!text.replace(new RegExp(PLACEHOLDERS.map((p) => p.source).join("|"), "gi"), "").replace(/[\s.:,;\-_*`]/g, "")) {
    return check("root-cause-present", "fail", "root-cause", "The root cause is only a placeholder: say what failed in the system and why");
  }
  const fix = FIX_WORDS.exec(text);
  if (fix && !CAUSE_WORDS.test(text)) {
    return check("root-cause-present", "warn", "root-cause", `The root cause describes the fix ("${fix[0]}"), not the cause: say why the system failed and move the fix to Resolution`);
  }
  return check("root-cause-present", "pass", "root-cause", "The root cause is written and says what failed, not only how it was fixed");
}

function isBlank(text: string | null): boolean {
  return !text || !text.trim() || /^(tbd|tbc|todo|n\/?a|none|unassigned|\?+|-+)$/i.test(text.trim());
}

function actionsComplete(actions: ActionInput[]): ReviewCheck {
  const live = actions.filter((action) => action.status !== "wont_do");
  if (live.length === 0) return check("actions-complete", "fail", "actions", "There are no corrective actions: add what will keep this from happening again");
  const noOwner = live.filter((action) => isBlank(action.owner)).length;
  const noDate = live.filter((action) => isBlank(action.dueDate)).length;
  const noType = live.filter((action) => !action.type).length;
  const gaps = [
    noOwner ? `${noOwner} ${noOwner === 1 ? "has" : "have"} no owner` : null,
    noDate ? `${noDate} ${noDate === 1 ? "has" : "have"} no due date` : null,
    noType ? `${noType} ${noType === 1 ? "has" : "have"} no type` : null,
  ].filter(Boolean);
  if (gaps.length) {
    const list = gaps.length > 1 ? `${gaps.slice(0, -1).join(", ")} and ${gaps[gaps.length - 1]}` : gaps[0];
    return check("actions-complete", "fail", "actions", `Of ${plural(live.length, "action")}, ${list}: each needs an owner, a due date and a type`);
  }
  return check("actions-complete", "pass", "actions", `All ${plural(live.length, "action")} have an owner, a due date and a type`);
}

function preventiveAction(actions: ActionInput[]): ReviewCheck {
  const live = actions.filter((action) => action.status !== "wont_do");
  const preventive = live.filter((action) => action.type === "prevent").length;
  if (preventive) return check("preventive-action", "pass", "actions", `${plural(preventive, "action")} ${preventive === 1 ? "prevents" : "prevent"} a recurrence`);
  return check(
    "preventive-action",
    "warn",
    "actions",
    `None of the ${plural(live.length, "action")} is of type prevent: add one that removes the cause, not only detects or mitigates it`,
  );
}

// ---------------------------------------------------------------------------
// Wording found anywhere in the document

type Place = { section: ReviewSection; name: string; text: string };

function places(incident: IncidentInput, timeline: TimelineInput[], actions: ActionInput[]): Place[] {
  return [
    { section: "summary", name: "the summary", text: incident.summary },
    { section: "impact", name: "the impact description", text: incident.impactDescription },
    { section: "root-cause", name: "the root cause", text: incident.rootCause },
    { section: "resolution", name: "the resolution", text: incident.resolution },
    { section: "lessons", name: "the lessons learned", text: incident.lessons },
    ...timeline.map((entry, index): Place => ({ section: "timeline", name: `timeline entry ${index + 1}`, text: entry.text })),
    ...actions.flatMap((action, index): Place[] => [
      { section: "actions", name: `action ${index + 1}'s title`, text: action.title },
      { section: "actions", name: `action ${index + 1}'s details`, text: action.details },
      { section: "actions", name: `action ${index + 1}'s owner`, text: action.owner ?? "" },
    ]),
  ];
}

type Finding = { place: Place; phrase: string };

function findAll(list: Place[], patterns: RegExp[], skip?: (text: string, index: number) => boolean): Finding[] {
  const findings: Finding[] = [];
  for (const place of list) {
    for (const pattern of patterns) {
      for (const match of place.text.matchAll(new RegExp(pattern.source, pattern.flags.includes("g") ? pattern.flags : `${pattern.flags}g`))) {
        if (!skip?.(place.text, match.index)) findings.push({ place, phrase: match[0].trim() });
      }
    }
  }
  return findings;
}

function describeFindings(findings: Finding[]): string {
  const shown = findings.slice(0, 3).map(({ place, phrase }) => `"${phrase}" in ${place.name}`);
  const more = findings.length > 3 ? `, and ${findings.length - 3} more` : "";
  return `${shown.join(", ")}${more}`;
}

const BLAMEFUL = [
  /\bhuman errors?\b/i,
  /\boperator errors?\b/i,
  /\bcareless(?:ly|ness)?\b/i,
  /\bnegligen(?:t|ce)\b/i,
  /\bshould(?: have|'ve) known\b/i,
  /\bfault of\b/i,
  /\b(?:his|her|their) fault\b/i,
  /\bat fault\b/i,
  /\bblam(?:e|ed|es|ing)\b/i,
  /\bsloppy\b/i,
  /\bincompeten(?:t|ce)\b/i,
  /\bdropped the ball\b/i,
];
// "not human error", "no one is to blame": a blameless statement, not blame.
const NEGATED = /\b(?:not|no one|nobody|never|without|no)\b[^.!?\n]{0,20}$|n't\s+(?:\w+\s+)?$/i;

const HUMAN_SLIPS = String.raw`(?:forgot|forgets|neglected|ignored|overlooked|mistakenly|accidentally|carelessly|fat-fingered|messed up|screwed up|made (?:a|an) (?:mistake|error|typo)|should have)`;
const PERSON_SUBJECT = new RegExp(String.raw`\b((?:[A-Z][a-z]+\s+)?([A-Z][a-z]+))\s+${HUMAN_SLIPS}\b`, "g");
const PRONOUN_SUBJECT = new RegExp(
  String.raw`\b(?:he|she|someone|somebody|the (?:engineer|developer|operator|admin(?:istrator)?|on-?call(?: engineer)?))\s+(?:${HUMAN_SLIPS}|failed to|did not|didn't)\b`,
  "gi",
);
const PERSON_POSSESSIVE = /\b([A-Z][a-z]+)(?:'s|’s)\s+(?:mistake|error|fault|oversight|negligence|carelessness|typo|blunder)\b/g;
// Capitalized words that start sentences or name systems, not people.
const NOT_PEOPLE = new Set(
  "The A An This That These Those It Its We Our They Their There Then When After Before During Because Since While If As At On In Nobody No Team Engineering Ops DevOps Support Automation Terraform Kubernetes Ansible Script Cron System Service Deploy Deployment Migration Config Configuration Monitoring Database Everyone".split(" "),
);

function blamelessWording(list: Place[], rootCause: Place): ReviewCheck {
  const findings = findAll(list, BLAMEFUL, (text, index) => NEGATED.test(text.slice(Math.max(0, index - 40), index)));
  for (const match of rootCause.text.matchAll(PERSON_SUBJECT)) {
    if (!NOT_PEOPLE.has(match[2])) findings.push({ place: rootCause, phrase: match[0] });
  }
  for (const pattern of [PRONOUN_SUBJECT, PERSON_POSSESSIVE]) {
    for (const match of rootCause.text.matchAll(pattern)) {
      if (!(pattern === PERSON_POSSESSIVE && NOT_PEOPLE.has(match[1]))) findings.push({ place: rootCause, phrase: match[0] });
    }
  }
  if (!findings.length) return check("blameless-wording", "pass", "root-cause", "No blameful wording: the document talks about systems, not people");
  return check(
    "blameless-wording",
    "warn",
    findings[0].place.section,
    `Blameful wording: ${describeFindings(findings)}; describe the conditions and safeguards that let it happen instead`,
  );
}

const PLACEHOLDERS = [/\bTBD\b/i, /\bTBC\b/i, /\bTODO\b/, /\btodo:/i, /\bwill fill\b/i, /\bfill(?:ed)? in\b/i, /\bN\/A\b/i, /\?{3,}/, /\blorem ipsum\b/i, /\bto be (?:determined|decided|confirmed)\b/i];

function placeholders(list: Place[]): ReviewCheck {
  const findings = findAll(list, PLACEHOLDERS);
  if (!findings.length) return check("placeholders", "pass", "summary", "No placeholders (TBD, TODO, N/A, ...) are left in the text or the actions");
  return check("placeholders", "warn", findings[0].place.section, `Placeholders left: ${describeFindings(findings)}`);
}

// ---------------------------------------------------------------------------

/** Every check, in a fixed order, each with a one-line reason pointing at its section. */
export function reviewPostmortem(incident: IncidentInput, timeline: TimelineInput[], actions: ActionInput[]): ReviewCheck[] {
  const startDate = incident.startedAt !== null ? localDate(incident.startedAt, incident.timeZone) : null;
  const list = places(incident, timeline, actions);
  return [
    impactQuantified(incident),
    timesPresentAndOrdered(incident, startDate),
    timelineOrdered(incident, timeline, startDate),
    statedEndAgrees(incident, timeline, startDate),
    rootCausePresent(incident),
    actionsComplete(actions),
    preventiveAction(actions),
    blamelessWording(list, list[2]),
    placeholders(list),
  ];
}

export function summarizeReview(checks: ReviewCheck[]): { pass: number; warn: number; fail: number } {
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const { result } of checks) counts[result] += 1;
  return counts;
}
