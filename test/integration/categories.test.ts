// Cause category, trigger and detection method through the pages: the incident forms,
// the overview, History, the list filter and Admin › Cause categories, called directly
// against a real SQLite file.
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { categories, history, incidentServices, incidents, services } from "~/db/schema";
import { DEFAULT_CATEGORIES } from "~/lib/vocabulary";
import { fieldChanges } from "~/lib/history-diff";
import { listHistory } from "~/models/history.server";
import { addCategory, deleteCategory, incidentVocabulary, listCategories } from "~/models/categories.server";
import { createIncident, deleteIncident, getIncident } from "~/models/incidents.server";
import { validateIncident } from "~/lib/validation";
import * as adminCategories from "~/routes/admin.categories";
import * as incidentList from "~/routes/incidents._index";
import * as overview from "~/routes/incidents.$id._index";
import * as newIncident from "~/routes/incidents.new";

import { TEST_ADMIN, TEST_AUTHOR, TEST_EDITOR, callLoader, postForm } from "../helpers/routes";

function incident(fields: Record<string, unknown> = {}) {
  const result = validateIncident({ title: "Bookings failed", severity: "SEV1", timeZone: "GMT+3", startedAt: "2024-06-09 16:20", ...fields }, incidentVocabulary());
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return createIncident(result.data, TEST_AUTHOR);
}

beforeEach(() => {
  const db = getDb();
  for (const table of [history, incidentServices, incidents, services]) db.delete(table).run();
  db.delete(categories).where(eq(categories.builtIn, false)).run();
});

describe("the new-incident form", () => {
  it("offers the vocabulary and saves category (any case, stored as listed), trigger and detection method", async () => {
    addCategory("Third-party CDN");
    const page = await (await callLoader(newIncident.loader, "/incidents/new")).json();
    expect(page.categories).toEqual(expect.arrayContaining([...DEFAULT_CATEGORIES, "Third-party CDN"]));

    const response = await postForm(newIncident.action, "/incidents/new", {
      title: "Images missing",
      severity: "SEV3",
      category: "third-party cdn",
      trigger: " certificate expiry at the CDN ",
      detectionMethod: "customer_report",
    });
    expect(response.status).toBe(302);
    const id = Number(response.headers.get("Location")!.split("/").pop());
    expect(getIncident(id)).toMatchObject({ category: "Third-party CDN", trigger: "certificate expiry at the CDN", detectionMethod: "customer_report" });
  });

  it("sends a rejected form back with every typed value, the errors at their fields, writing nothing", async () => {
    const typed = { title: "Search down", severity: "SEV2", category: "cosmic rays", trigger: "a bit flipped", detectionMethod: "psychic", summary: "Long story…" };
    const response = await postForm(newIncident.action, "/incidents/new", typed);
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.values).toEqual(typed);
    expect(Object.keys(body.errors).sort()).toEqual(["category", "detectionMethod"]);
    expect(body.errors.category).toBe(`Cause category must be one of ${listCategories().map((category) => category.name).join(", ")}, or blank`);
    expect(getDb().select().from(incidents).all()).toHaveLength(0);
  });
});

describe("the incident overview", () => {
  it("shows the three facts, and says so when they are not set", async () => {
    const classified = incident({ category: "Deployment", trigger: "deploy of booking-api 4.2", detectionMethod: "monitor" });
    const page = await (await callLoader(overview.loader, `/incidents/${classified.id}`, { id: String(classified.id) })).json();
    expect(page.facts).toEqual(
      expect.arrayContaining([["Cause category", "deployment"], ["Trigger", "deploy of booking-api 4.2"], ["Detection method", "Monitor or alert"]]),
    );
    expect(page.formValues).toMatchObject({ category: "deployment", trigger: "deploy of booking-api 4.2", detectionMethod: "monitor" });

    const bare = incident();
    const empty = await (await callLoader(overview.loader, `/incidents/${bare.id}`, { id: String(bare.id) })).json();
    expect(empty.facts).toEqual(
      expect.arrayContaining([["Cause category", "not classified yet"], ["Trigger", "not stated"], ["Detection method", "not stated"]]),
    );
  });

  it("edits them under Edit details, clears them with blanks, and History names each change", async () => {
    const saved = incident();
    const details = { intent: "update-details", title: "Bookings failed", severity: "SEV1", status: "investigating", timeZone: "GMT+3", startedAt: "2024-06-09 16:20" };
    const set = await postForm(overview.action, `/incidents/${saved.id}`, { ...details, category: "capacity", trigger: "Black Friday traffic", detectionMethod: "staff" }, { id: String(saved.id) });
    expect(set.status).toBe(302);
    expect(getIncident(saved.id)).toMatchObject({ category: "capacity", trigger: "Black Friday traffic", detectionMethod: "staff" });

    const change = listHistory(saved.id).find((row) => row.change === "update")!;
    expect(fieldChanges(change.before, change.after).map(({ label, before, after }) => [label, before, after])).toEqual([
      ["Cause category", "", "capacity"],
      ["Trigger", "", "Black Friday traffic"],
      ["Detection method", "", "Staff noticed"],
    ]);

    const cleared = await postForm(overview.action, `/incidents/${saved.id}`, { ...details, category: "", trigger: "", detectionMethod: "" }, { id: String(saved.id) });
    expect(cleared.status).toBe(302);
    expect(getIncident(saved.id)).toMatchObject({ category: null, trigger: null, detectionMethod: null });
  });

  it("keeps what was typed in a rejected edit, and the stored incident as it was", async () => {
    const saved = incident({ category: "data" });
    const before = getIncident(saved.id);
    const typed = { intent: "update-details", title: "Renamed", severity: "SEV1", timeZone: "GMT+3", category: "not a category", trigger: "x".repeat(201), detectionMethod: "staff" };
    const response = await postForm(overview.action, `/incidents/${saved.id}`, typed, { id: String(saved.id) });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.values).toEqual(typed);
    expect(Object.keys(body.errors).sort()).toEqual(["category", "trigger"]);
    expect(getIncident(saved.id)).toEqual(before);
  });
});

describe("the incidents list", () => {
  it("filters by cause category, matching it in any case; an unknown one filters nothing", async () => {
    const deploy = incident({ title: "Deploy broke search", category: "deployment" });
    incident({ title: "Disk full", category: "capacity" });
    incident({ title: "Unclassified" });
    const filtered = await (await callLoader(incidentList.loader, "/incidents?category=Deployment")).json();
    expect(filtered.incidents.map((row: { id: number }) => row.id)).toEqual([deploy.id]);
    expect(filtered.categories).toEqual(expect.arrayContaining([...DEFAULT_CATEGORIES]));
    const unknown = await (await callLoader(incidentList.loader, "/incidents?category=cosmic")).json();
    expect(unknown.total).toBe(3);
  });
});

describe("Admin › Cause categories", () => {
  it("lists every category with how many incidents use it, deleted ones included", async () => {
    incident({ category: "network" });
    deleteIncident(incident({ category: "network" }).id, TEST_AUTHOR);
    const page = await (await callLoader(adminCategories.loader, "/admin/categories", {}, TEST_ADMIN)).json();
    expect(page.categories.map((category: { name: string }) => category.name)).toEqual([...DEFAULT_CATEGORIES].sort());
    expect(page.categories.find((category: { name: string }) => category.name === "network")).toMatchObject({ builtIn: true, incidents: 2 });
  });

  it("adds a category; a name taken in any case, blank, too long or on two lines is refused at the field, keeping what was typed", async () => {
    const added = await postForm(adminCategories.action, "/admin/categories", { intent: "add-category", name: "  Third-party CDN " }, {}, TEST_ADMIN);
    expect(added.status).toBe(200);
    expect(listCategories().find((category) => category.name === "Third-party CDN")).toMatchObject({ builtIn: false, incidents: 0 });

    const refusals: [string, string][] = [
      ["third-party cdn", '"Third-party CDN" is already a category'],
      ["DEPLOYMENT", '"deployment" is already a category'],
      ["   ", "Name is required"],
      ["x".repeat(61), "Name must be at most 60 characters"],
      ["two\nlines", "Name must be a single line"],
    ];
    for (const [name, message] of refusals) {
      const response = await postForm(adminCategories.action, "/admin/categories", { intent: "add-category", name }, {}, TEST_ADMIN);
      expect(response.status, name).toBe(400);
      const body = await response.json();
      expect(body.errors, name).toEqual({ name: message });
      expect(body.values.name, name).toBe(name);
    }
    expect(listCategories()).toHaveLength(DEFAULT_CATEGORIES.length + 1);
  });

  it("deletes an unused category; refuses a built-in one and one incidents use, saying how many", async () => {
    const cdn = addCategory("Third-party CDN");
    const dns = addCategory("DNS provider");
    if (!cdn.ok || !dns.ok) throw new Error("setup");
    incident({ category: "third-party CDN" });
    deleteIncident(incident({ category: "Third-party CDN" }).id, TEST_AUTHOR);

    const used = await postForm(adminCategories.action, "/admin/categories", { intent: "delete-category", categoryId: String(cdn.category.id) }, {}, TEST_ADMIN);
    expect(used.status).toBe(409);
    expect((await used.json()).refused).toEqual({
      categoryId: cdn.category.id,
      message: `"Third-party CDN" cannot be deleted: 2 incidents use it (1 of them deleted, which can be restored). Change those incidents' cause category first.`,
    });

    const builtIn = listCategories().find((category) => category.name === "unknown")!;
    const refused = await postForm(adminCategories.action, "/admin/categories", { intent: "delete-category", categoryId: String(builtIn.id) }, {}, TEST_ADMIN);
    expect((await refused.json()).refused.message).toBe('"unknown" is built in and cannot be deleted');

    const unused = await postForm(adminCategories.action, "/admin/categories", { intent: "delete-category", categoryId: String(dns.category.id) }, {}, TEST_ADMIN);
    expect(unused.status).toBe(200);
    expect(listCategories().map((category) => category.name)).not.toContain("DNS provider");
    expect(deleteCategory(dns.category.id)).toEqual({ ok: false, reason: "not_found" });
    expect((await postForm(adminCategories.action, "/admin/categories", { intent: "delete-category", categoryId: "99999" }, {}, TEST_ADMIN)).status).toBe(404);
    // Only admins, even if a request got past the gate.
    expect((await postForm(adminCategories.action, "/admin/categories", { intent: "add-category", name: "Sneaky" }, {}, TEST_EDITOR)).status).toBe(403);
    expect((await callLoader(adminCategories.loader, "/admin/categories", {}, TEST_EDITOR)).status).toBe(403);
  });
});
