// Corrective actions from an action-items section: bullets, checkboxes, numbered
// items, plain lines or a pipe table with owner, due date and type columns.
import type { ActionInput } from "~/lib/validation";
import type { ActionType } from "~/lib/vocabulary";

import { findDates, isoDate } from "./moments";
import type { Line } from "./structure";

const LIST_ITEM = /^(\s*)(?:[-*+•]|\d+[.)])\s+(\[([ xX])\]\s+)?(.*)$/;

function typeOf(text: string): ActionType {
  if (/\b(monitor\w*|alert\w*|detect\w*|dashboard|observab\w*|early warning|page|paging|metric)\b/i.test(text)) return "detect";
  if (/\b(fail ?over|fallback|circuit breaker|retr(y|ies)|rate limit\w*|degrade\w*|redundan\w*|secondary|backup|rollback plan)\b/i.test(text)) return "mitigate";
  if (/\b(runbook|process|training|review|document\w*|checklist|postmortem|communicat\w*|on-?call|playbook|investigate|policy)\b/i.test(text)) return "process";
  return "prevent";
}

type Fields = Partial<Pick<ActionInput, "owner" | "dueDate" | "type" | "priority" | "status" | "trackerUrl">>;

/** Hindsight's own export: "(owner: Ana; due by 1 July 2024; type: detect; priority: P1; status: In progress; tracker: <url>)". */
function exportedFields(text: string): { fields: Fields; rest: string } | null {
  const match = /\s*\((owner: [^;()]*; (?:due by [^;()]*|no due date); type: [^()]*?(?:<[^>]*>[^()]*)?)\)\s*$/.exec(text);
  if (!match) return null;
  const fields: Fields = {};
  for (const part of match[1].split(/;\s*/)) {
    if (part.startsWith("due by ")) {
      const [date] = findDates(part);
      if (date) fields.dueDate = isoDate(date);
      continue;
    }
    const [key, ...valueParts] = part.split(":");
    const value = valueParts.join(":").trim();
    if (key === "owner" && value !== "unassigned") fields.owner = value;
    if (key === "type" && /^(prevent|mitigate|detect|process)$/.test(value)) fields.type = value as ActionType;
    if (key === "priority" && /^P[1-3]$/.test(value)) fields.priority = value as ActionInput["priority"];
    if (key === "status") fields.status = /progress/i.test(value) ? "in_progress" : /won/i.test(value) ? "wont_do" : /done/i.test(value) ? "done" : "open";
    if (key === "tracker") fields.trackerUrl = value.replace(/^<|>$/g, "");
  }
  return { fields, rest: text.slice(0, match.index).replace(/^~~(.*)~~$/, "$1") };
}

/** "(Jonas)", "(Sven, next sprint)", "(Wanjiru, 15-03-2024)", "— Luis, 09/13/2024": an owner and maybe a date at the end. */
function trailingOwner(rest: string, fields: Fields): string {
  const match = /\s*(?:\(([^()]{2,60})\)|[—–-]\s+([^—–()]{2,60}))\s*\.?$/.exec(rest);
  if (!match) return rest;
  const parts = (match[1] ?? match[2]).split(/,\s*/);
  const name = parts[0].trim();
  if (!/^@?[\p{Lu}@][\p{L}.'-]*(\s+[\p{Lu}][\p{L}.'-]*){0,3}$/u.test(name) || /\d/.test(name)) return rest;
  const remainder = parts.slice(1).join(", ");
  const [date] = findDates(remainder);
  fields.owner ??= name.replace(/^@/, "");
  if (date) fields.dueDate ??= isoDate(date);
  // "(Sven, next sprint)": what is not a name or a date stays in the title, word for word.
  const consumed = !remainder.trim() || (date && remainder.replace(date.text, "").replace(/[\s,.;]/g, "") === "");
  return consumed ? rest.slice(0, match.index).trim() : rest;
}

/** "(owner: Ana; due: 2024-07-01; type: detect)", "Owner: Ana", "@ana", "due 1 July 2024", "P1", a tracker link. */
function inlineFields(text: string): { fields: Fields; rest: string } {
  const exported = exportedFields(text);
  if (exported) return exported;
  const fields: Fields = {};
  let rest = text;
  const take = (pattern: RegExp) => {
    const match = pattern.exec(rest);
    if (match) rest = `${rest.slice(0, match.index)} ${rest.slice(match.index + match[0].length)}`;
    return match;
  };
  const owner = take(/\b(?:owner|assignee|assigned to|responsible)\s*[:=-]?\s*(@?[\p{L}][\p{L}.'-]*(?:\s+[\p{Lu}][\p{L}.'-]*)?)/iu) ?? take(/(?:^|\s)@([\w.-]+)/);
  if (owner) fields.owner = owner[1].replace(/^@/, "");
  const due = take(/\b(?:due|deadline|by|target)\s*(?:date)?\s*[:=-]?\s*([^;,)]{6,24})/i);
  if (due) {
    const [date] = findDates(due[1]);
    if (date) fields.dueDate = isoDate(date);
    else rest = `${rest} ${due[0]}`;
  }
  const type = take(/\btype\s*[:=-]\s*(prevent|mitigate|detect|process)\w*/i);
  if (type) fields.type = type[1].toLowerCase() as ActionType;
  const priority = take(/\b(?:priority\s*[:=-]?\s*)?(P[1-3])\b/);
  if (priority) fields.priority = priority[1] as ActionInput["priority"];
  const link = take(/\bhttps?:\/\/[^\s)>\]]+/);
  if (link) fields.trackerUrl = link[0];
  rest = rest.replace(/\(\s*[;,]?\s*\)/g, "").replace(/\s*[;,]\s*(?=[;,)]|$)/g, "").replace(/\s{2,}/g, " ").trim();
  rest = trailingOwner(rest, fields);
  return { fields, rest };
}

/** Backslash escapes (as Hindsight's export writes them) are not part of the words. */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, "$1");
}

function action(title: string, fields: Fields, details = ""): ActionInput {
  const cleanTitle = unescapeMarkdown(title.replace(/^[\s–—:-]+|[\s–—:-]+$/g, "").replace(/(\*\*|__)/g, ""));
  return {
    title: cleanTitle.length > 300 ? `${cleanTitle.slice(0, 297)}…` : cleanTitle,
    details: cleanTitle.length > 300 ? `${cleanTitle}\n\n${details}`.trim() : details,
    type: fields.type ?? typeOf(title),
    owner: fields.owner ?? null,
    dueDate: fields.dueDate ?? null,
    priority: fields.priority ?? "P2",
    status: fields.status ?? "open",
    trackerUrl: fields.trackerUrl ?? null,
  };
}

const COLUMN_NAMES: [RegExp, keyof Fields | "title"][] = [
  [/^(action|item|task|title|description|what|fix|measure)/i, "title"],
  [/^(owner|assignee|who|responsible|team)/i, "owner"],
  [/^(due|deadline|date|when|target)/i, "dueDate"],
  [/^(type|kind|category)/i, "type"],
  [/^(priority|prio|sev)/i, "priority"],
  [/^(status|state|done)/i, "status"],
  [/^(ticket|tracker|link|issue|jira)/i, "trackerUrl"],
];

function tableActions(rows: string[][]): ActionInput[] {
  const [header, ...body] = rows;
  const columns = header.map((cell) => COLUMN_NAMES.find(([pattern]) => pattern.test(cell.replace(/[*_]/g, "").trim()))?.[1] ?? null);
  if (!columns.includes("title")) columns[0] = "title";
  return body
    .filter((row) => row.some((cell) => cell.trim()))
    .map((row) => {
      const fields: Fields = {};
      let title = "";
      row.forEach((cell, index) => {
        const value = cell.replace(/(\*\*|__|`)/g, "").trim();
        const column = columns[index];
        if (!value || value === "-" || /^n\/?a$/i.test(value)) return;
        if (column === "title") title = value;
        else if (column === "owner") fields.owner = value.replace(/^@/, "");
        else if (column === "dueDate") {
          const [date] = findDates(value);
          if (date) fields.dueDate = isoDate(date);
        } else if (column === "type" && /^(prevent|mitigate|detect|process)/i.test(value)) fields.type = /^(prevent|mitigate|detect|process)/i.exec(value)![1].toLowerCase() as ActionType;
        else if (column === "priority" && /P[1-3]/.test(value)) fields.priority = /P[1-3]/.exec(value)![0] as ActionInput["priority"];
        else if (column === "status") fields.status = /done|complete|closed|✅|yes/i.test(value) ? "done" : /progress|doing|started/i.test(value) ? "in_progress" : /won'?t|wont|dropped|cancel/i.test(value) ? "wont_do" : "open";
        else if (column === "trackerUrl" && /^https?:\/\//.test(value)) fields.trackerUrl = value;
        else title = `${title} ${value}`.trim();
      });
      if (fields.type && !["prevent", "mitigate", "detect", "process"].includes(fields.type)) delete fields.type;
      return action(title, fields);
    })
    .filter((item) => item.title);
}

/** Reads actions; lines that are not actions (an intro sentence) come back as leftover. */
export function readActions(lines: Line[]): { actions: ActionInput[]; leftover: Line[] } {
  const actions: ActionInput[] = [];
  const leftover: Line[] = [];
  const table: string[][] = [];
  // With a list or a table, the plain lines around it (an intro, a thank-you) are not actions.
  const hasList = lines.some((line) => !line.code && (LIST_ITEM.test(line.text) || line.text.trim().startsWith("|")));
  const flushTable = () => {
    if (table.length > 1) actions.push(...tableActions(table));
    table.length = 0;
  };
  for (const line of lines) {
    const text = line.text;
    if (!text.trim() || line.code) {
      if (line.code) leftover.push(line);
      continue;
    }
    if (text.trim().startsWith("|")) {
      if (/^\s*\|?\s*:?-{3,}/.test(text)) continue;
      table.push(text.trim().replace(/^\||\|$/g, "").split("|"));
      continue;
    }
    flushTable();
    const item = LIST_ITEM.exec(text);
    if (item) {
      const indent = item[1].length;
      if (indent >= 2 && actions.length) {
        actions[actions.length - 1].details = `${actions[actions.length - 1].details}\n${item[4]}`.trim();
        continue;
      }
      const { fields, rest } = inlineFields(item[4]);
      if (item[3]) fields.status = item[3].toLowerCase() === "x" ? "done" : "open";
      actions.push(action(rest, fields));
      continue;
    }
    if (/^\s{2,}\S/.test(text) && actions.length) {
      actions[actions.length - 1].details = `${actions[actions.length - 1].details}\n${text.trim()}`.trim();
      continue;
    }
    // Without a list, each plain line is an action unless it reads as an intro ("We will:").
    if (hasList || (/[:]$/.test(text.trim()) && actions.length === 0)) {
      leftover.push(line);
      continue;
    }
    const { fields, rest } = inlineFields(text.trim());
    actions.push(action(rest, fields));
  }
  flushTable();
  return { actions: actions.filter((item) => item.title), leftover };
}
