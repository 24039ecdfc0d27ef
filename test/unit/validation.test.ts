import { describe, expect, it } from "vitest";

import { matchCategory, validateAction, validateIncident, validateTimelineEntry } from "~/lib/validation";
import { DEFAULT_CATEGORIES } from "~/lib/vocabulary";

/** The built-in categories and one an admin added, as models/categories.server.ts would pass them. */
const vocabulary = { categories: [...DEFAULT_CATEGORIES, "Third-party CDN"] };

const valid = {
  title: "Bookings failed",
  severity: "SEV1",
  status: "resolved",
  timeZone: "GMT+3",
  startedAt: "2024-06-09 16:20",
  resolvedAt: "17:10",
  impactPercent: "45",
  services: "booking web app, Booking Web App, booking database",
};

function errorsOf(input: Record<string, unknown>) {
  const result = validateIncident(input, vocabulary);
  if (result.ok) throw new Error("expected the input to be refused");
  return result.errors;
}

describe("an incident", () => {
  it("accepts form strings: local times in its zone, a bare end time on the start's date, services deduplicated", () => {
    const result = validateIncident(valid, vocabulary);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(new Date(result.data.startedAt!).toISOString()).toBe("2024-06-09T13:20:00.000Z");
    expect(new Date(result.data.resolvedAt!).toISOString()).toBe("2024-06-09T14:10:00.000Z");
    expect(result.data.impactPercent).toBe(45);
    expect(result.data.services).toEqual(["booking web app", "booking database"]);
  });

  it("accepts JSON values the same way", () => {
    const result = validateIncident({ ...valid, impactPercent: 0.1, services: ["api"], startedAt: "2024-06-09T13:20:00Z", resolvedAt: null }, vocabulary);
    expect(result.ok && result.data).toMatchObject({ impactPercent: 0.1, services: ["api"], resolvedAt: null });
  });

  it("refuses each bad field with a message at that field", () => {
    expect(errorsOf({ ...valid, impactPercent: 150 }).impactPercent).toBe("Impact must be between 0 and 100%");
    expect(errorsOf({ ...valid, impactPercent: "lots" }).impactPercent).toMatch(/percentage/);
    expect(errorsOf({ ...valid, resolvedAt: "2024-06-09 15:00" }).resolvedAt).toBe("Resolution cannot be before the start");
    expect(errorsOf({ ...valid, startedAt: "yesterday-ish" }).startedAt).toMatch(/Could not read "yesterday-ish"/);
    expect(errorsOf({ ...valid, severity: "SEV9" }).severity).toBe("Severity must be one of SEV1, SEV2, SEV3, SEV4");
    expect(errorsOf({ ...valid, title: "   " }).title).toBe("Title is required");
    expect(errorsOf({ ...valid, title: undefined }).title).toBe("Title is required");
    expect(errorsOf({ ...valid, summary: "x".repeat(2 * 1024 * 1024) }).summary).toBe(
      "Summary is too long (2,097,152 characters; the limit is 100,000)",
    );
    expect(errorsOf({ ...valid, timeZone: "Mars/Base" }).timeZone).toMatch(/Unknown time zone "Mars\/Base"/);
    expect(errorsOf({ ...valid, mitigatedAt: "17:30", resolvedAt: "17:00" }).resolvedAt).toBe("Resolution cannot be before mitigation");
  });

  it("refuses an explicit null for a field that has a default instead of quietly resetting it", () => {
    expect(errorsOf({ ...valid, status: null }).status).toMatch(/Status must be one of/);
    expect(errorsOf({ ...valid, timeZone: null }).timeZone).toMatch(/Time zone must be/);
    const action = validateAction({ title: "x", priority: null, type: null });
    expect(!action.ok && Object.keys(action.errors).sort()).toEqual(["priority", "type"]);
  });

  it("reads an impact percentage only as a plain decimal", () => {
    expect(errorsOf({ ...valid, impactPercent: "0x10" }).impactPercent).toMatch(/percentage/);
    expect(errorsOf({ ...valid, impactPercent: "1e2" }).impactPercent).toMatch(/percentage/);
    const percent = validateIncident({ ...valid, impactPercent: " 12.5% " }, vocabulary);
    expect(percent.ok && percent.data.impactPercent).toBe(12.5);
  });

  it("reports every bad field at once, not just the first", () => {
    const errors = errorsOf({ ...valid, title: "", severity: "", impactPercent: -1, detectedAt: "16:00" });
    expect(Object.keys(errors).sort()).toEqual(["detectedAt", "impactPercent", "severity", "title"]);
  });
});

describe("an incident's cause category, trigger and detection method", () => {
  const classified = (fields: Record<string, unknown>) => {
    const result = validateIncident({ ...valid, ...fields }, vocabulary);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return { category: result.data.category, trigger: result.data.trigger, detectionMethod: result.data.detectionMethod };
  };

  it("are optional: left out, blank or null, each is null", () => {
    expect(classified({})).toEqual({ category: null, trigger: null, detectionMethod: null });
    expect(classified({ category: "  ", trigger: "", detectionMethod: "" })).toEqual({ category: null, trigger: null, detectionMethod: null });
    expect(classified({ category: null, trigger: null, detectionMethod: null })).toEqual({ category: null, trigger: null, detectionMethod: null });
  });

  it("take a category in any case and store the vocabulary's spelling, an added one as well as a built-in one", () => {
    expect(classified({ category: " Configuration CHANGE " }).category).toBe("configuration change");
    expect(classified({ category: "third-party cdn" }).category).toBe("Third-party CDN");
    expect(matchCategory("DATA", DEFAULT_CATEGORIES)).toBe("data");
    expect(matchCategory("database", DEFAULT_CATEGORIES)).toBeNull();
  });

  it("refuse a category outside the vocabulary, naming the ones there are", () => {
    const message = errorsOf({ ...valid, category: "cosmic rays" }).category;
    expect(message).toBe(`Cause category must be one of ${vocabulary.categories.join(", ")}, or blank`);
    expect(message).toContain("configuration change, deployment, capacity");
    // Known only to this vocabulary: another install's list decides there.
    const builtInOnly = validateIncident({ ...valid, category: "Third-party CDN" }, { categories: DEFAULT_CATEGORIES });
    expect(!builtInOnly.ok && builtInOnly.errors.category).toMatch(/must be one of/);
    expect(errorsOf({ ...valid, category: 7 }).category).toBe("Cause category must be text");
  });

  it("names a wrong category together with the other wrong fields", () => {
    expect(Object.keys(errorsOf({ ...valid, title: "", category: "cosmic rays" })).sort()).toEqual(["category", "title"]);
  });

  it("keep a trigger to one line of at most 200 characters, trimmed", () => {
    expect(classified({ trigger: "  deploy of booking-api 4.2 " }).trigger).toBe("deploy of booking-api 4.2");
    expect(classified({ trigger: "x".repeat(200) }).trigger).toHaveLength(200);
    expect(errorsOf({ ...valid, trigger: "x".repeat(201) }).trigger).toBe("Trigger must be at most 200 characters");
    expect(errorsOf({ ...valid, trigger: "deploy\nthen rollback" }).trigger).toBe("Trigger must be a single line");
  });

  it("take a detection method from the fixed list only", () => {
    expect(classified({ detectionMethod: "customer_report" }).detectionMethod).toBe("customer_report");
    expect(errorsOf({ ...valid, detectionMethod: "Customer report" }).detectionMethod).toBe(
      "Detection method must be one of monitor, customer_report, staff, other",
    );
    expect(errorsOf({ ...valid, detectionMethod: "psychic" }).detectionMethod).toMatch(/must be one of/);
  });
});

describe("a timeline entry", () => {
  const context = { timeZone: "GMT+3", referenceDate: "2024-06-09" };

  it("reads a bare time on the incident's date and defaults the kind to note", () => {
    const result = validateTimelineEntry({ occurredAt: "4:50 PM", text: "Escalated to DevOps" }, context);
    expect(result.ok && { at: new Date(result.data.occurredAt).toISOString(), kind: result.data.kind }).toEqual({
      at: "2024-06-09T13:50:00.000Z",
      kind: "note",
    });
  });

  it("refuses an empty text, an unknown kind and an unreadable time", () => {
    const result = validateTimelineEntry({ occurredAt: "25:99", text: "  ", kind: "gossip" }, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.text).toBe("Describe what happened");
    expect(result.errors.kind).toMatch(/Kind must be one of detection/);
    expect(result.errors.occurredAt).toMatch(/"25:99" is not a time of day/);
  });
});

describe("a corrective action", () => {
  it("fills sensible defaults", () => {
    const result = validateAction({ title: "Alert on pool exhaustion" });
    expect(result.ok && result.data).toEqual({
      title: "Alert on pool exhaustion",
      details: "",
      type: "prevent",
      owner: null,
      dueDate: null,
      priority: "P2",
      status: "open",
      trackerUrl: null,
    });
  });

  it("trims a due date, so overdue and sorting compare real dates", () => {
    const result = validateAction({ title: "x", dueDate: " 2099-01-01 " });
    expect(result.ok && result.data.dueDate).toBe("2099-01-01");
  });

  it("refuses impossible dates and non-web tracker links", () => {
    const result = validateAction({ title: "x", dueDate: "2024-02-30", trackerUrl: "javascript:alert(1)", status: "finished" });
    expect(!result.ok && result.errors).toEqual({
      dueDate: "Use a date such as 2024-06-30",
      trackerUrl: "Use a full http(s) address such as https://tracker.example.com/OPS-42",
      status: "Status must be one of open, in_progress, done, wont_do",
    });
  });
});
