import { describe, expect, it } from "vitest";

import type { ActionInput, IncidentInput, TimelineInput } from "~/lib/validation";
import { exampleActions, exampleIncident, exampleTimeline } from "~/postmortem/example";
import { REVIEW_CHECK_IDS, reviewPostmortem, summarizeReview, type ReviewCheck, type ReviewCheckId } from "~/postmortem/review";

const utc = (iso: string) => Date.parse(iso);

// A complete, consistent postmortem: Berlin in summer (CEST, UTC+2), 2:00 PM to 2:45 PM on 2 July 2024.
function cleanIncident(overrides: Partial<IncidentInput> = {}): IncidentInput {
  return {
    title: "Card payments failed: provider certificate expired",
    severity: "SEV2",
    status: "in_review",
    timeZone: "Europe/Berlin",
    startedAt: utc("2024-07-02T12:00:00Z"),
    detectedAt: utc("2024-07-02T12:05:00Z"),
    mitigatedAt: utc("2024-07-02T12:30:00Z"),
    resolvedAt: utc("2024-07-02T12:45:00Z"),
    impactPercent: 12,
    impactDescription: "Card payments failed for 12% of checkout attempts.",
    services: ["checkout", "payments"],
    category: "dependency",
    trigger: "payment provider certificate expiry",
    detectionMethod: "monitor",
    summary:
      "Card payments failed from 2:00 PM to 2:45 PM CEST after the client certificate for the payment provider expired. The outage lasted 45 minutes.",
    rootCause:
      "The client certificate expired because its renewal job had been failing since a permissions change in May, and nothing alerted on the failures.",
    resolution: "A renewed certificate was installed and the payment workers were restarted to load it.",
    lessons: "Certificate expiry needs an alert of its own, independent of the renewal job.",
    unplaced: "",
    ...overrides,
  };
}

function cleanTimeline(): TimelineInput[] {
  return [
    { occurredAt: utc("2024-07-02T12:05:00Z"), kind: "detection", author: null, text: "Alert: payment error rate above 5%." },
    { occurredAt: utc("2024-07-02T12:20:00Z"), kind: "action", author: null, text: "Provider logs show TLS handshake failures: certificate expired." },
    { occurredAt: utc("2024-07-02T12:30:00Z"), kind: "action", author: null, text: "Renewed certificate installed; workers restarting." },
    { occurredAt: utc("2024-07-02T12:45:00Z"), kind: "resolution", author: null, text: "Error rate back to baseline; incident resolved." },
  ];
}

function action(overrides: Partial<ActionInput> = {}): ActionInput {
  return {
    title: "Alert 14 days before any certificate expires",
    details: "",
    type: "prevent",
    owner: "Payments team",
    dueDate: "2024-07-16",
    priority: "P1",
    status: "open",
    trackerUrl: null,
    ...overrides,
  };
}

function cleanActions(): ActionInput[] {
  return [action(), action({ title: "Page on renewal job failures", type: "detect", owner: "Platform team" })];
}

function review(
  incident: Partial<IncidentInput> = {},
  timeline: TimelineInput[] = cleanTimeline(),
  actions: ActionInput[] = cleanActions(),
): ReviewCheck[] {
  return reviewPostmortem(cleanIncident(incident), timeline, actions);
}

function find(checks: ReviewCheck[], id: ReviewCheckId): ReviewCheck {
  const found = checks.find((entry) => entry.id === id);
  if (!found) throw new Error(`no check "${id}"`);
  return found;
}

const checkOf = (id: ReviewCheckId, ...args: Parameters<typeof review>) => find(review(...args), id);

describe("the seed postmortem's review", () => {
  const checks = reviewPostmortem(exampleIncident, exampleTimeline, exampleActions);

  it("fails because the summary's 11:10 PM end disagrees with the timeline's 5:10 PM resolution", () => {
    const stated = find(checks, "stated-end-agrees");
    expect(stated.result).toBe("fail");
    expect(stated.section).toBe("summary");
    expect(stated.reason).toBe("The summary says the outage lasted until 11:10 PM GMT+3; the timeline resolves it at 5:10 PM GMT+3");
  });

  it("fails because none of the four actions has an owner or a due date", () => {
    const actions = find(checks, "actions-complete");
    expect(actions.result).toBe("fail");
    expect(actions.section).toBe("actions");
    expect(actions.reason).toMatch(/4 have no owner/);
    expect(actions.reason).toMatch(/4 have no due date/);
  });

  it("passes the quantified impact and the rest that the seed gets right", () => {
    expect(find(checks, "impact-quantified")).toMatchObject({ result: "pass", reason: expect.stringContaining("45%") });
    const results = Object.fromEntries(checks.map((entry) => [entry.id, entry.result]));
    expect(results).toEqual({
      "impact-quantified": "pass",
      "times-present-and-ordered": "pass",
      "timeline-ordered": "pass",
      "stated-end-agrees": "fail",
      "root-cause-present": "pass",
      "actions-complete": "fail",
      "preventive-action": "warn",
      "blameless-wording": "pass",
      placeholders: "pass",
    });
    expect(summarizeReview(checks)).toEqual({ pass: 6, warn: 1, fail: 2 });
  });

  it("does not read the seed's '10 minutes after the update' or 'about 45% of our users' as a duration", () => {
    const withoutEnd = { ...exampleIncident, summary: exampleIncident.summary.replace(/persisted until[^.]*\./, "persisted.") };
    const stated = find(reviewPostmortem(withoutEnd, exampleTimeline, exampleActions), "stated-end-agrees");
    expect(stated.result).toBe("pass");
    expect(stated.reason).toMatch(/No end time or duration is stated/);
  });
});

describe("a clean, complete postmortem", () => {
  it("passes every check, in the documented order, each with a section and a reason", () => {
    const checks = review();
    expect(checks.map((entry) => entry.id)).toEqual([...REVIEW_CHECK_IDS]);
    for (const entry of checks) {
      expect(entry, `${entry.id}: ${entry.reason}`).toMatchObject({ result: "pass" });
      expect(entry.title.length).toBeGreaterThan(0);
      expect(entry.reason).not.toMatch(/\n/);
    }
    expect(summarizeReview(checks)).toEqual({ pass: 9, warn: 0, fail: 0 });
  });
});

describe("impact-quantified", () => {
  it("passes with a percentage, warns with only a description, fails with nothing", () => {
    expect(checkOf("impact-quantified").reason).toContain("12%");
    const described = checkOf("impact-quantified", { impactPercent: null });
    expect(described).toMatchObject({ result: "warn", section: "impact" });
    expect(described.reason).toMatch(/not measured/);
    expect(checkOf("impact-quantified", { impactPercent: null, impactDescription: "  " })).toMatchObject({ result: "fail", section: "impact" });
  });
});

describe("times-present-and-ordered", () => {
  it("passes naming the times in the incident's zone", () => {
    const times = checkOf("times-present-and-ordered");
    expect(times).toMatchObject({ result: "pass", section: "details" });
    expect(times.reason).toContain("Started 2:00 PM CEST");
    expect(times.reason).toContain("resolved 2:45 PM CEST");
  });

  it("fails without a start, warns without a detection time", () => {
    const noStart = checkOf("times-present-and-ordered", { startedAt: null });
    expect(noStart.result).toBe("fail");
    expect(noStart.reason).toContain("no start time");
    const noDetection = checkOf("times-present-and-ordered", { detectedAt: null });
    expect(noDetection.result).toBe("warn");
    expect(noDetection.reason).toContain("no detection time");
  });

  it("fails a reviewed incident without a resolution, only warns while it is still open", () => {
    expect(checkOf("times-present-and-ordered", { resolvedAt: null }).result).toBe("fail");
    const open = checkOf("times-present-and-ordered", { resolvedAt: null, status: "monitoring" });
    expect(open.result).toBe("warn");
    expect(open.reason).toContain("not resolved yet");
  });

  it("fails times out of order, naming both", () => {
    const early = checkOf("times-present-and-ordered", { detectedAt: utc("2024-07-02T11:50:00Z") });
    expect(early.result).toBe("fail");
    expect(early.reason).toContain("Detection (1:50 PM CEST) is before the start (2:00 PM CEST)");
    const backwards = checkOf("times-present-and-ordered", { resolvedAt: utc("2024-07-02T12:20:00Z") });
    expect(backwards.result).toBe("fail");
    expect(backwards.reason).toContain("Resolution (2:20 PM CEST) is before mitigation (2:30 PM CEST)");
  });
});

describe("timeline-ordered", () => {
  it("accepts entries at the same minute", () => {
    const timeline = cleanTimeline();
    timeline.splice(1, 0, { ...timeline[0], text: "Second report at the same minute." });
    expect(checkOf("timeline-ordered", {}, timeline).result).toBe("pass");
  });

  it("fails entries listed out of time order, naming them", () => {
    const timeline = cleanTimeline();
    [timeline[1], timeline[2]] = [timeline[2], timeline[1]];
    const ordered = checkOf("timeline-ordered", {}, timeline);
    expect(ordered).toMatchObject({ result: "fail", section: "timeline" });
    expect(ordered.reason).toContain("entry 3 (2:20 PM CEST) is listed after entry 2 (2:30 PM CEST)");
  });

  it("warns when entries fall outside the incident's start and resolution", () => {
    const timeline = [
      { occurredAt: utc("2024-07-02T11:40:00Z"), kind: "note" as const, author: null, text: "Renewal job fails again." },
      ...cleanTimeline(),
    ];
    const outside = checkOf("timeline-ordered", {}, timeline);
    expect(outside.result).toBe("warn");
    expect(outside.reason).toContain("Entry 1 at 1:40 PM CEST falls outside the incident's window");
  });

  it("warns about an entry after the resolution", () => {
    const timeline = [
      ...cleanTimeline(),
      { occurredAt: utc("2024-07-03T08:00:00Z"), kind: "communication" as const, author: null, text: "Customers told the cause." },
    ];
    const after = checkOf("timeline-ordered", {}, timeline);
    expect(after.result).toBe("warn");
    expect(after.reason).toContain("Entry 5 at 3 July 2024, 10:00 AM CEST falls outside");
  });

  it("fails an empty timeline", () => {
    expect(checkOf("timeline-ordered", {}, [])).toMatchObject({ result: "fail", reason: expect.stringContaining("no entries") });
  });
});

describe("stated-end-agrees", () => {
  it("fails a stated duration that disagrees, naming both ends", () => {
    const stated = checkOf("stated-end-agrees", { summary: "Card payments failed. The outage lasted 2 hours." });
    expect(stated.result).toBe("fail");
    expect(stated.reason).toBe(
      "The summary says the outage lasted 2 hours (until 4:00 PM CEST); the resolution time is 2:45 PM CEST and the timeline resolves it at 2:45 PM CEST",
    );
  });

  it("accepts 'for about 45 minutes' and 'Duration: 1h 30m' when they agree, within ten minutes", () => {
    expect(checkOf("stated-end-agrees", { summary: "Payments failed for about 45 minutes." }).result).toBe("pass");
    expect(checkOf("stated-end-agrees", { summary: "Payments failed for about 50 minutes." }).result).toBe("pass");
    const later = { resolvedAt: utc("2024-07-02T13:30:00Z") };
    const timeline = cleanTimeline();
    timeline[3] = { ...timeline[3], occurredAt: utc("2024-07-02T13:30:00Z") };
    expect(checkOf("stated-end-agrees", { ...later, summary: "**Duration:** 1h 30m" }, timeline).result).toBe("pass");
    expect(checkOf("stated-end-agrees", { ...later, summary: "**Duration:** 1h 10m" }, timeline).result).toBe("fail");
  });

  it("reads 'an hour and a half' and 'a 90-minute outage' as the same duration", () => {
    const resolvedAt = utc("2024-07-02T13:30:00Z");
    const timeline = cleanTimeline().slice(0, 3);
    expect(checkOf("stated-end-agrees", { resolvedAt, summary: "It lasted an hour and a half." }, timeline).result).toBe("pass");
    expect(checkOf("stated-end-agrees", { resolvedAt, summary: "A 90-minute outage of card payments." }, timeline).result).toBe("pass");
    expect(checkOf("stated-end-agrees", { resolvedAt, summary: "A 30-minute outage of card payments." }, timeline).result).toBe("fail");
  });

  it("reads a stated end with its own zone and compares the instant", () => {
    const agrees = checkOf("stated-end-agrees", { summary: "Payments failed until 12:45 PM UTC." });
    expect(agrees.result).toBe("pass");
    const differs = checkOf("stated-end-agrees", { summary: "Payments failed until 2:45 PM UTC." });
    expect(differs.result).toBe("fail");
    expect(differs.reason).toContain("until 4:45 PM CEST (2:45 PM UTC as written)");
  });

  it("reads 'until 11:10 PM GMT+3' in an incident kept in another zone", () => {
    const stated = checkOf("stated-end-agrees", { summary: "Bookings failed until 11:10 PM GMT+3." });
    expect(stated.result).toBe("fail");
    expect(stated.reason).toContain("until 10:10 PM CEST (11:10 PM GMT+3 as written)");
  });

  it("reads a time alone that is earlier in the day than the start as the next day", () => {
    const overnight = {
      startedAt: utc("2024-07-02T20:00:00Z"),
      detectedAt: utc("2024-07-02T20:05:00Z"),
      mitigatedAt: null,
      resolvedAt: utc("2024-07-02T23:15:00Z"),
      summary: "Payments failed from 10:00 PM until 1:15 AM.",
    };
    const timeline = [{ occurredAt: utc("2024-07-02T23:15:00Z"), kind: "resolution" as const, author: null, text: "Resolved." }];
    expect(checkOf("stated-end-agrees", overnight, timeline).result).toBe("pass");
    const wrong = checkOf("stated-end-agrees", { ...overnight, summary: "Payments failed from 10:00 PM until 2:15 AM." }, timeline);
    expect(wrong.result).toBe("fail");
    expect(wrong.reason).toContain("until 3 July 2024, 2:15 AM CEST");
  });

  it("reads a written date before the time, day-first or month-first by the incident's date", () => {
    const onTheDay = "The outage persisted until the fix was deployed on 02-07-2024, at 2:45 PM.";
    expect(checkOf("stated-end-agrees", { summary: onTheDay }).result).toBe("pass");
    const nextDay = checkOf("stated-end-agrees", { summary: "The outage persisted until 3 July 2024, 2:45 PM." });
    expect(nextDay.result).toBe("fail");
    expect(nextDay.reason).toContain("3 July 2024, 2:45 PM CEST");
  });

  it("looks in the impact description and the resolution too, and names where", () => {
    const impact = checkOf("stated-end-agrees", { summary: "", impactDescription: "Checkout was down until 4:00 PM." });
    expect(impact).toMatchObject({ result: "fail", section: "impact" });
    expect(impact.reason).toMatch(/^The impact description says/);
    const resolution = checkOf("stated-end-agrees", { summary: "", resolution: "Service was restored at 3:30 PM after the restart." });
    expect(resolution).toMatchObject({ result: "fail", section: "resolution" });
  });

  it("reads the end of a range: 'from ... to ...', 'between ... and ...', 'Outage: ... – ...'", () => {
    for (const summary of ["Card payments failed from 2:00 PM to 3:30 PM CEST.", "Between 14:00 and 15:30, payments failed.", "Outage: 2:00 PM \u2013 3:30 PM"]) {
      const stated = checkOf("stated-end-agrees", { summary });
      expect(stated.result, summary).toBe("fail");
      expect(stated.reason).toContain("until 3:30 PM CEST; the resolution time is 2:45 PM CEST");
    }
  });

  it("does not take a detection time, the start, or a wait in the resolution for the end", () => {
    expect(checkOf("stated-end-agrees", { summary: "The failures went unnoticed until 2:05 PM." }).result).toBe("pass");
    expect(checkOf("stated-end-agrees", { summary: "Payments worked normally until 2:00 PM, when the certificate expired." }).result).toBe("pass");
    expect(checkOf("stated-end-agrees", { summary: "Checkout ran without trouble until the 2:00 PM certificate expiry." }).result).toBe("pass");
    expect(checkOf("stated-end-agrees", { summary: "", resolution: "We watched the error rate for 30 minutes before closing." }).result).toBe("pass");
  });

  it("warns when there is an end to compare but no resolution recorded", () => {
    const timeline = cleanTimeline().slice(0, 3);
    const stated = checkOf("stated-end-agrees", { resolvedAt: null, summary: "Payments failed until 2:45 PM." }, timeline);
    expect(stated.result).toBe("warn");
    expect(stated.reason).toContain("no resolution time");
  });
});

describe("root-cause-present", () => {
  it("fails an empty or placeholder root cause", () => {
    expect(checkOf("root-cause-present", { rootCause: "" })).toMatchObject({ result: "fail", section: "root-cause" });
    const placeholder = checkOf("root-cause-present", { rootCause: "TBD" });
    expect(placeholder.result).toBe("fail");
    expect(placeholder.reason).toContain("placeholder");
  });

  it("warns when it describes only the fix", () => {
    for (const rootCause of ["We restarted the database server.", "Rolled back the release.", "Cleared the cache and redeployed."]) {
      const cause = checkOf("root-cause-present", { rootCause });
      expect(cause.result, rootCause).toBe("warn");
      expect(cause.reason).toContain("describes the fix");
    }
  });

  it("passes a fix that comes with its cause", () => {
    const rootCause = "Connections were exhausted because the pool size was misconfigured; restarting the server only hid it.";
    expect(checkOf("root-cause-present", { rootCause }).result).toBe("pass");
  });
});

describe("actions-complete", () => {
  it("counts actions without an owner and without a due date; 'TBD' is not an owner", () => {
    const actions = [action({ owner: null }), action({ owner: "TBD", dueDate: null }), action()];
    const complete = checkOf("actions-complete", {}, cleanTimeline(), actions);
    expect(complete).toMatchObject({ result: "fail", section: "actions" });
    expect(complete.reason).toBe("Of 3 actions, 2 have no owner and 1 has no due date: each needs an owner, a due date and a type");
  });

  it("ignores actions marked won't do, and fails when there are none", () => {
    const actions = [action(), action({ owner: null, status: "wont_do" })];
    expect(checkOf("actions-complete", {}, cleanTimeline(), actions).result).toBe("pass");
    expect(checkOf("actions-complete", {}, cleanTimeline(), []).result).toBe("fail");
  });
});

describe("preventive-action", () => {
  it("passes with a prevent action and warns without one", () => {
    expect(checkOf("preventive-action").result).toBe("pass");
    const actions = [action({ type: "detect" }), action({ type: "mitigate" }), action({ type: "prevent", status: "wont_do" })];
    const preventive = checkOf("preventive-action", {}, cleanTimeline(), actions);
    expect(preventive).toMatchObject({ result: "warn", section: "actions" });
    expect(preventive.reason).toContain("None of the 2 actions is of type prevent");
  });
});

describe("blameless-wording", () => {
  it("flags blameful phrases, quoted with where they are", () => {
    const cases: Array<[Partial<IncidentInput>, string, string]> = [
      [{ rootCause: "Human error during the config change." }, '"Human error" in the root cause', "root-cause"],
      [{ rootCause: "An operator error on the primary." }, '"operator error"', "root-cause"],
      [{ summary: "A careless edit took payments down." }, '"careless" in the summary', "summary"],
      [{ lessons: "The on-call engineer should have known better." }, '"should have known" in the lessons learned', "lessons"],
      [{ rootCause: "It was the fault of the release manager." }, '"fault of"', "root-cause"],
      [{ resolution: "We will blame the vendor next time." }, '"blame" in the resolution', "resolution"],
    ];
    for (const [fields, quoted, section] of cases) {
      const blameless = checkOf("blameless-wording", fields);
      expect(blameless.result, quoted).toBe("warn");
      expect(blameless.reason).toContain(quoted);
      expect(blameless.section).toBe(section);
    }
  });

  it("flags a person as the subject of the cause", () => {
    const forgot = checkOf("blameless-wording", { rootCause: "The certificate expired because Dave forgot to renew it." });
    expect(forgot.result).toBe("warn");
    expect(forgot.reason).toContain('"Dave forgot"');
    const mistake = checkOf("blameless-wording", { rootCause: "Priya's mistake in the firewall rules blocked the provider." });
    expect(mistake.reason).toContain(`"Priya's mistake"`);
    expect(checkOf("blameless-wording", { rootCause: "Someone forgot to renew the certificate." }).result).toBe("warn");
  });

  it("flags blame in the timeline and the actions too", () => {
    const timeline = [...cleanTimeline(), { occurredAt: utc("2024-07-02T12:45:00Z"), kind: "note" as const, author: null, text: "Root cause: human error." }];
    expect(checkOf("blameless-wording", {}, timeline)).toMatchObject({ result: "warn", section: "timeline" });
  });

  it("passes blameless statements and systems as subjects", () => {
    const rootCause =
      "This was not human error: the deploy tool accepted an empty pool size, and Terraform accidentally replaced the instance. No one is to blame; this is a blameless review.";
    expect(checkOf("blameless-wording", { rootCause }).result).toBe("pass");
  });
});

describe("placeholders", () => {
  it("warns naming the field of each placeholder", () => {
    const cases: Array<[Partial<IncidentInput>, string, string]> = [
      [{ rootCause: "TBD" }, '"TBD" in the root cause', "root-cause"],
      [{ lessons: "Will fill here after the meeting." }, '"Will fill" in the lessons learned', "lessons"],
      [{ impactDescription: "N/A" }, '"N/A" in the impact description', "impact"],
      [{ summary: "TODO: write the summary" }, '"TODO" in the summary', "summary"],
      [{ resolution: "Lorem ipsum dolor sit amet." }, '"Lorem ipsum" in the resolution', "resolution"],
      [{ summary: "Payments failed at ???" }, '"???" in the summary', "summary"],
      [{ lessons: "Fill in the lessons later." }, '"Fill in" in the lessons learned', "lessons"],
    ];
    for (const [fields, quoted, section] of cases) {
      const found = checkOf("placeholders", fields);
      expect(found.result, quoted).toBe("warn");
      expect(found.reason).toContain(quoted);
      expect(found.section).toBe(section);
    }
  });

  it("finds placeholders in actions and timeline entries", () => {
    const actions = [action({ owner: "n/a" }), action({ details: "TBD" })];
    const inActions = checkOf("placeholders", {}, cleanTimeline(), actions);
    expect(inActions).toMatchObject({ result: "warn", section: "actions" });
    expect(inActions.reason).toContain(`"n/a" in action 1's owner`);
    expect(inActions.reason).toContain(`"TBD" in action 2's details`);
    const timeline = cleanTimeline();
    timeline[1] = { ...timeline[1], text: "??? check the logs" };
    expect(checkOf("placeholders", {}, timeline).reason).toContain("timeline entry 2");
  });

  it("does not mistake ordinary words for placeholders", () => {
    const summary = "The todo app, the TBDS service and the NA region were not affected.";
    expect(checkOf("placeholders", { summary }).result).toBe("pass");
  });
});

describe("an incident across a DST change (America/New_York, 10 March 2024)", () => {
  // Clocks jump from 2:00 AM EST to 3:00 AM EDT: two hours after 1:30 AM EST is 4:30 AM EDT.
  const dst = (overrides: Partial<IncidentInput> = {}) =>
    cleanIncident({
      timeZone: "America/New_York",
      startedAt: utc("2024-03-10T06:30:00Z"),
      detectedAt: utc("2024-03-10T06:40:00Z"),
      mitigatedAt: null,
      resolvedAt: utc("2024-03-10T08:30:00Z"),
      summary: "Logins failed overnight. The outage lasted 2 hours.",
      ...overrides,
    });
  const timeline: TimelineInput[] = [
    { occurredAt: utc("2024-03-10T06:40:00Z"), kind: "detection", author: null, text: "Login error alert." },
    { occurredAt: utc("2024-03-10T07:05:00Z"), kind: "action", author: null, text: "Session store failover started." },
    { occurredAt: utc("2024-03-10T08:30:00Z"), kind: "resolution", author: null, text: "Logins succeed again." },
  ];
  const run = (overrides: Partial<IncidentInput> = {}) => reviewPostmortem(dst(overrides), timeline, cleanActions());

  it("counts a stated duration in real time, not wall-clock time", () => {
    expect(find(run(), "stated-end-agrees").result).toBe("pass");
    expect(find(run(), "times-present-and-ordered").reason).toBe("Started 1:30 AM EST, detected 1:40 AM EST, resolved 4:30 AM EDT: in order");
    expect(find(run(), "timeline-ordered").result).toBe("pass");
  });

  it("reads a stated end time with the zone's rules on that date", () => {
    expect(find(run({ summary: "Logins failed until 4:30 AM EDT." }), "stated-end-agrees").result).toBe("pass");
    const wrong = find(run({ summary: "Logins failed until 3:30 AM." }), "stated-end-agrees");
    expect(wrong.result).toBe("fail");
    expect(wrong.reason).toBe(
      "The summary says the outage lasted until 3:30 AM EDT; the resolution time is 4:30 AM EDT and the timeline resolves it at 4:30 AM EDT",
    );
  });
});

describe("an incident across the autumn DST change (Europe/Berlin, 27 October 2024)", () => {
  // Clocks fall back from 3:00 AM CEST to 2:00 AM CET: two hours after 1:30 AM CEST is 2:30 AM CET.
  const autumn = (resolvedAt: number) =>
    reviewPostmortem(
      cleanIncident({
        startedAt: utc("2024-10-26T23:30:00Z"),
        detectedAt: utc("2024-10-26T23:35:00Z"),
        mitigatedAt: null,
        resolvedAt,
        summary: "Search was unavailable. The outage lasted 2 hours.",
      }),
      [{ occurredAt: utc("2024-10-26T23:35:00Z"), kind: "detection", author: null, text: "Search alert." }],
      cleanActions(),
    );

  it("agrees with a resolution two real hours later, labelled in the zone's winter time", () => {
    const checks = autumn(utc("2024-10-27T01:30:00Z"));
    expect(find(checks, "stated-end-agrees").result).toBe("pass");
    expect(find(checks, "times-present-and-ordered").reason).toBe("Started 1:30 AM CEST, detected 1:35 AM CEST, resolved 2:30 AM CET: in order");
  });

  it("fails a resolution at wall-clock 3:30 AM, an hour too late", () => {
    const stated = find(autumn(utc("2024-10-27T02:30:00Z")), "stated-end-agrees");
    expect(stated.result).toBe("fail");
    expect(stated.reason).toBe("The summary says the outage lasted 2 hours (until 2:30 AM CET); the resolution time is 3:30 AM CET");
  });
});
