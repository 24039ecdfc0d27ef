// Renders an incident as a Markdown postmortem shaped like the seed document:
// title, Issue Summary, Timeline, Root Cause and Resolution, Corrective and
// Preventative Measures, Lessons Learned. Pure: no database, no HTML.
import { impactText } from "~/lib/impact";
import { monitorLeadPhrase } from "~/lib/monitor-lead";
import { formatCalendarDate, formatDuration, formatInstant, formatSinceStart, type ZoneName } from "~/lib/time";
import type { ActionInput, IncidentInput, TimelineInput } from "~/lib/validation";
import { ACTION_STATUS_LABELS, DETECTION_METHOD_LABELS, INCIDENT_STATUS_LABELS } from "~/lib/vocabulary";

// The postmortem needs exactly what an incident, entry and action hold once validated.
export type PostmortemIncident = IncidentInput;
export type PostmortemEntry = TimelineInput;
export type PostmortemAction = ActionInput;

/** "45%", "12.5%", "0.1%", "0.0004%": small shares keep their first significant digits. */

/**
 * Plain text (titles, names, services) placed in Markdown: characters Markdown
 * or HTML would act on are escaped, so "5xx from <api-gateway>" stays as written.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, "\\$&");
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}

/** Indents continuation lines so multi-line text stays inside its list item. */
function indentContinuation(text: string, indent = "  "): string {
  return text
    .split("\n")
    .map((line, index) => (index === 0 || line === "" ? line : indent + line))
    .join("\n");
}

function firstParagraph(markdown: string): string {
  return oneLine(markdown.trim().split(/\n\s*\n/)[0] ?? "");
}

function instantOrUnknown(ms: number | null, zone: ZoneName): string {
  return ms === null ? "unknown" : formatInstant(ms, zone);
}

/** The earliest failed check any monitor of the affected services saw (app/health/evidence.server.ts). */
export type PostmortemMonitoring = { at: number; serviceName: string; monitorName: string; message: string };

function monitoringLine(incident: PostmortemIncident, first: PostmortemMonitoring): string {
  const what = [first.serviceName, first.monitorName].filter(Boolean).map((part) => escapeMarkdown(oneLine(part))).join(", ");
  const why = first.message ? `: ${escapeMarkdown(oneLine(first.message))}` : "";
  const lead = monitorLeadPhrase(first.at, incident.detectedAt);
  return `**Monitors first failed:** ${formatInstant(first.at, incident.timeZone)} (${what}${why})${lead ? `, ${lead}` : ""}`;
}

function issueSummary(incident: PostmortemIncident, monitoring: PostmortemMonitoring | null): string[] {
  const zone = incident.timeZone;
  const lines: string[] = [];
  const { startedAt, detectedAt, mitigatedAt, resolvedAt } = incident;
  const duration =
    startedAt !== null && resolvedAt !== null ? ` (${formatDuration(resolvedAt - startedAt)})` : "";
  const end = resolvedAt === null ? "not resolved yet" : formatInstant(resolvedAt, zone);
  lines.push(`**Duration:** ${instantOrUnknown(startedAt, zone)} to ${end}${duration}`);
  if (detectedAt !== null) {
    const lag = startedAt !== null ? ` (${formatDuration(detectedAt - startedAt)} after the start)` : "";
    lines.push(`**Detected:** ${formatInstant(detectedAt, zone)}${lag}`);
  }
  // Derived from the health history, not a field: the importer reads past it (import/parse.ts).
  if (monitoring) lines.push(monitoringLine(incident, monitoring));
  if (mitigatedAt !== null) lines.push(`**Mitigated:** ${formatInstant(mitigatedAt, zone)}`);
  lines.push(`**Impact:** ${impactText(incident.impactPercent, incident.impactDescription ? oneLine(incident.impactDescription) : null, "not stated")}`);
  lines.push(`**Time zone:** ${incident.timeZone}`);
  if (incident.services.length) lines.push(`**Affected services:** ${incident.services.map(escapeMarkdown).join(", ")}`);
  // Left out when not set, like the services: the importer reads each back (import/parse.ts).
  if (incident.category) lines.push(`**Cause category:** ${escapeMarkdown(oneLine(incident.category))}`);
  if (incident.trigger) lines.push(`**Trigger:** ${escapeMarkdown(oneLine(incident.trigger))}`);
  if (incident.detectionMethod) lines.push(`**Detection:** ${DETECTION_METHOD_LABELS[incident.detectionMethod]}`);
  if (incident.rootCause.trim()) lines.push(`**Root cause:** ${firstParagraph(incident.rootCause)}`);
  // A list, so that a re-import reads these as facts of the summary, not as headings of their own.
  return [lines.map((line) => `- ${line}`).join("\n")];
}

function timelineItem(entry: PostmortemEntry, incident: PostmortemIncident): string {
  const since = incident.startedAt !== null ? `${formatSinceStart(entry.occurredAt, incident.startedAt)}, ` : "";
  const author = entry.author ? ` (${escapeMarkdown(entry.author)})` : "";
  return `- **${formatInstant(entry.occurredAt, incident.timeZone)}** (${since}${entry.kind}) - ${indentContinuation(entry.text)}${author}`;
}

function actionItem(action: PostmortemAction): string {
  const done = action.status === "done";
  const facts = [
    `owner: ${action.owner ? escapeMarkdown(action.owner) : "unassigned"}`,
    action.dueDate ? `due by ${formatCalendarDate(action.dueDate)}` : "no due date",
    `type: ${action.type}`,
    `priority: ${action.priority}`,
  ];
  if (action.status !== "open" && action.status !== "done") facts.push(`status: ${ACTION_STATUS_LABELS[action.status]}`);
  if (action.trackerUrl) facts.push(`tracker: <${action.trackerUrl}>`);
  const title = action.status === "wont_do" ? `~~${escapeMarkdown(oneLine(action.title))}~~` : escapeMarkdown(oneLine(action.title));
  const lines = [`- [${done ? "x" : " "}] ${title} (${facts.join("; ")})`];
  if (action.details.trim()) lines.push(`\n  ${indentContinuation(action.details.trim())}`);
  return lines.join("\n");
}

export function renderPostmortem(
  incident: PostmortemIncident,
  timeline: PostmortemEntry[],
  actions: PostmortemAction[],
  options: { monitoring?: PostmortemMonitoring | null } = {},
): string {
  const sections: string[] = [];
  sections.push(`# ${escapeMarkdown(oneLine(incident.title))}`);
  sections.push(`**Severity:** ${incident.severity} · **Status:** ${INCIDENT_STATUS_LABELS[incident.status]}`);

  sections.push("## Issue Summary", ...issueSummary(incident, options.monitoring ?? null));
  if (incident.summary.trim()) sections.push(incident.summary.trim());

  sections.push("## Timeline");
  sections.push(
    timeline.length ? timeline.map((entry) => timelineItem(entry, incident)).join("\n") : "_No timeline entries yet._",
  );

  sections.push("## Root Cause and Resolution");
  sections.push("### Root Cause", incident.rootCause.trim() || "_Not written yet._");
  sections.push("### Resolution", incident.resolution.trim() || "_Not written yet._");

  sections.push("## Corrective and Preventative Measures");
  sections.push(actions.length ? actions.map(actionItem).join("\n") : "_No corrective actions yet._");

  if (incident.lessons.trim()) sections.push("## Lessons Learned", incident.lessons.trim());
  if (incident.unplaced.trim()) sections.push("## Unplaced Notes", incident.unplaced.trim());

  return `${sections.join("\n\n")}\n`;
}
