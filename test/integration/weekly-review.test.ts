// The weekly review page through a real server: actions overdue or due within 7 days grouped by
// owner (the unowned first), nothing far off or finished, postmortems in review longest first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { addDays, today } from "~/models/actions.server";

import { startServer, type TestServer } from "../helpers/server";

let server: TestServer;
// The server runs in the same zone as this process (TZ=UTC from the test setup), so "today" agrees.
const todayDate = today();

async function post(path: string, body: Record<string, unknown>) {
  const response = await server.fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { id: number };
}

async function incident(title: string, status = "resolved") {
  return (await post("/api/incidents", { title, severity: "SEV2", status })).id;
}

async function action(incidentId: number, title: string, fields: { owner: string | null; dueInDays: number; status?: string; priority?: string }) {
  const { id } = await post(`/api/incidents/${incidentId}/actions`, {
    title,
    owner: fields.owner,
    dueDate: addDays(todayDate, fields.dueInDays),
    status: fields.status ?? "open",
    priority: fields.priority ?? "P2",
  });
  return id;
}

async function reviewPage(as: "admin" | "viewer" = "admin") {
  const response = await server.fetch("/review", { as });
  expect(response.status).toBe(200);
  // React marks where adjacent text pieces meet (<!-- -->); the text itself is what a reader sees.
  return (await response.text()).replaceAll("<!-- -->", "");
}

/** The HTML of each owner group, by its heading. */
function groups(html: string): { owner: string; html: string }[] {
  return html
    .split(/<section class="owner-group[^"]*"/)
    .slice(1)
    .map((part) => ({ owner: /<h3[^>]*>([^<]*)<\/h3>/.exec(part)![1], html: part.split("</section>")[0] }));
}

let checkout: number;
let overdueUnowned: number;

beforeAll(async () => {
  server = await startServer();
  checkout = await incident("Checkout outage");
  const search = await incident("Search slow");
  await action(checkout, "Alert on pool saturation", { owner: "Ana", dueInDays: -3, priority: "P1" });
  await action(search, "Add a search replica", { owner: "ana", dueInDays: 2 });
  overdueUnowned = await action(checkout, "Write the runbook", { owner: null, dueInDays: -1 });
  await action(search, "Tune the query cache", { owner: null, dueInDays: 5 });
  await action(checkout, "Rotate the database password", { owner: "Bo", dueInDays: 0 });
  await action(checkout, "Load-test the new pool size", { owner: "Bo", dueInDays: 7 });
  await action(checkout, "Replace the queue", { owner: "Bo", dueInDays: 8 });
  await action(checkout, "Move to a managed database", { owner: "Ana", dueInDays: 60 });
  await action(checkout, "Fix the retry storm", { owner: "Ana", dueInDays: -5, status: "done" });
  await action(search, "Shard the index", { owner: "Cy", dueInDays: -2, status: "wont_do" });
  await incident("Login loop", "in_review");
  await incident("Payments timeout", "in_review");
  await incident("Search slow again", "resolved");
});

afterAll(() => server?.stop());

describe("the weekly review", () => {
  it("lists overdue and due-soon actions grouped by owner, the unowned first and flagged", async () => {
    const html = await reviewPage();
    const found = groups(html);
    expect(found.map((group) => group.owner)).toEqual(["No owner", "Ana", "Bo"]);

    const [unowned, ana, bo] = found;
    expect(unowned.html).toContain("Nobody owns these actions");
    expect(unowned.html.indexOf("Write the runbook")).toBeLessThan(unowned.html.indexOf("Tune the query cache"));
    expect(unowned.html).toContain("overdue by 1 day");
    expect(unowned.html).toContain("due in 5 days");

    // Owners are grouped ignoring case; the earliest due first.
    expect(ana.html.indexOf("Alert on pool saturation")).toBeLessThan(ana.html.indexOf("Add a search replica"));
    expect(ana.html).toContain("overdue by 3 days");
    expect(ana.html).toContain("P1");
    expect(ana.html).toContain(`href="/incidents/${checkout}/actions"`);
    expect(ana.html).toContain("Checkout outage");

    expect(bo.html).toContain("Rotate the database password");
    expect(bo.html).toContain("due today");
    expect(bo.html).toContain("Load-test the new pool size");
    expect(bo.html).toContain("due in 7 days");

    // One-click status buttons (a form that works without JavaScript) on each row.
    expect(unowned.html).toContain(`action="/actions/${overdueUnowned}/status"`);

    for (const absent of ["Replace the queue", "Move to a managed database", "Fix the retry storm", "Shard the index"]) {
      expect(html).not.toContain(absent);
    }
    expect(html).toContain("2 overdue actions, 4 due in the next 7 days");
  });

  it("lists the postmortems in review, the longest waiting first, with how long", async () => {
    const html = await reviewPage();
    const inReview = html.split('id="review-postmortems-heading"')[1];
    expect(inReview).toContain("Postmortems in review (2)");
    expect(inReview.indexOf("Login loop")).toBeGreaterThan(0);
    expect(inReview.indexOf("Login loop")).toBeLessThan(inReview.indexOf("Payments timeout"));
    expect(inReview).toContain("for less than a day");
    expect(inReview).not.toContain("Search slow again");
  });

  it("marks an action done without JavaScript and sends the user back to the review, where it is gone", async () => {
    const response = await server.fetch(`/actions/${overdueUnowned}/status`, {
      method: "POST",
      body: new URLSearchParams({ status: "done", redirectTo: "/review" }),
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/review");
    const html = await reviewPage();
    expect(html).not.toContain("Write the runbook");
    expect(groups(html)[0].owner).toBe("No owner");
    expect(html).toContain("1 overdue action, 4 due in the next 7 days");
  });

  it("shows a viewer the same lists with statuses but no buttons, and prints without forms", async () => {
    const html = await reviewPage("viewer");
    expect(html).toContain("Alert on pool saturation");
    expect(html).not.toContain("/status\"");
    expect(html).toContain("print it (Ctrl+P");
    const css = await (await server.fetch("/app.css")).text();
    expect(css).toMatch(/@media print \{[^}]*\.weekly-review \.print-hint/);
  });
});
