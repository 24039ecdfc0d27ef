// Cause category, trigger and detection method through the JSON API, and the category
// vocabulary's own routes, against a real `node server.js` process.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_CATEGORIES } from "~/lib/vocabulary";

import { startServer, type TestServer } from "../helpers/server";

import { call, countRows, createIncident, postForm, readRow } from "./api-helpers";

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

const VALID_LIST = DEFAULT_CATEGORIES.join(", ");

describe("an incident's cause category, trigger and detection method", () => {
  it("are null on an incident that does not state them", async () => {
    const incident = await createIncident(server, { title: "Unclassified" });
    expect(incident).toMatchObject({ category: null, trigger: null, detectionMethod: null });
  });

  it("are taken on create: the category in any case, stored and answered as the vocabulary spells it", async () => {
    const response = await call(server, "POST", "/api/incidents", {
      title: "Checkout failed after deploy",
      severity: "SEV2",
      category: "  DEPLOYMENT ",
      trigger: "deploy of checkout-api 4.2",
      detectionMethod: "monitor",
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ category: "deployment", trigger: "deploy of checkout-api 4.2", detectionMethod: "monitor" });
    expect(readRow(server, "select category, trigger, detection_method from incidents where id = ?", response.body.id)).toEqual({
      category: "deployment",
      trigger: "deploy of checkout-api 4.2",
      detection_method: "monitor",
    });
    expect((await call(server, "GET", `/api/incidents/${response.body.id}`)).body).toMatchObject({ category: "deployment" });
  });

  it("refuse an unknown category with 400 naming every valid one, and an unknown detection method, writing nothing", async () => {
    const before = countRows(server);
    const response = await call(server, "POST", "/api/incidents", { title: "Mystery", severity: "SEV3", category: "cosmic rays", detectionMethod: "psychic" });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual({
      category: `Cause category must be one of ${[...DEFAULT_CATEGORIES].sort().join(", ")}, or blank`,
      detectionMethod: "Detection method must be one of monitor, customer_report, staff, other",
    });
    for (const name of DEFAULT_CATEGORIES) expect(response.body.errors.category).toContain(name);
    expect(countRows(server)).toEqual(before);
  });

  it("change with PATCH, only the ones sent; null clears each", async () => {
    const incident = await createIncident(server, { title: "Disk full", category: "capacity", trigger: "log rotation stopped", detectionMethod: "staff" });
    const patched = await call(server, "PATCH", `/api/incidents/${incident.id}`, { category: "Data" });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ category: "data", trigger: "log rotation stopped", detectionMethod: "staff", version: 2 });

    const cleared = await call(server, "PATCH", `/api/incidents/${incident.id}`, { category: null, trigger: null, detectionMethod: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ category: null, trigger: null, detectionMethod: null, title: "Disk full", version: 3 });

    const refused = await call(server, "PATCH", `/api/incidents/${incident.id}`, { category: "cosmic rays", trigger: "one\ntwo" });
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.errors).sort()).toEqual(["category", "trigger"]);
    expect(refused.body.errors.category).toContain("configuration change");
    expect((await call(server, "GET", `/api/incidents/${incident.id}`)).body.version).toBe(3);
  });

  it("filter GET /api/incidents?category= in any case; an unknown category is a 400 naming the valid ones", async () => {
    const network = await createIncident(server, { title: "Packet loss", category: "network" });
    const listed = await call(server, "GET", "/api/incidents?category=NETWORK");
    expect(listed.status).toBe(200);
    expect(listed.body.incidents.map((incident: { id: number }) => incident.id)).toEqual([network.id]);
    expect(listed.body.total).toBe(1);

    const unknown = await call(server, "GET", "/api/incidents?category=cosmic%20rays");
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.category).toMatch(/^Cause category must be one of .*configuration change.*unknown/);
  });
});

describe("/api/categories", () => {
  it("GET lists every category with its use, to any reader", async () => {
    await createIncident(server, { title: "Pool misconfigured", category: "configuration change" });
    const listed = await call(server, "GET", "/api/categories", undefined, { as: "read" });
    expect(listed.status).toBe(200);
    expect(listed.body.categories.map((category: { name: string }) => category.name)).toEqual(expect.arrayContaining([...DEFAULT_CATEGORIES]));
    const configuration = listed.body.categories.find((category: { name: string }) => category.name === "configuration change");
    expect(configuration).toEqual({ id: expect.any(Number), name: "configuration change", builtIn: true, incidents: expect.any(Number) });
    expect(configuration.incidents).toBeGreaterThanOrEqual(1);
    expect((await call(server, "GET", `/api/categories/${configuration.id}`, undefined, { as: "viewer" })).body).toEqual(configuration);
    expect((await call(server, "GET", "/api/categories/99999")).status).toBe(404);
  });

  it("POST and DELETE are for admins: editors and every token get 403 and nothing changes", async () => {
    const count = () => readRow(server, "select count(*) as n from categories")!.n;
    const before = count();
    for (const as of ["editor", "write"] as const) {
      const added = await call(server, "POST", "/api/categories", { name: "By a non-admin" }, { as });
      expect(added.status, as).toBe(403);
      expect(added.body.error, as).toMatch(/cannot administer Hindsight/);
      const unknown = readRow(server, "select id from categories where name = 'unknown'")!;
      expect((await call(server, "DELETE", `/api/categories/${unknown.id}`, undefined, { as })).status, as).toBe(403);
    }
    expect((await call(server, "POST", "/api/categories", { name: "By a viewer" }, { as: "viewer" })).status).toBe(403);
    expect(count()).toBe(before);
  });

  it("an admin adds one (new ignoring case), uses it on incidents, and deletes it only once nothing uses it", async () => {
    const added = await call(server, "POST", "/api/categories", { name: " Third-party CDN " }, { as: "admin" });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ id: expect.any(Number), name: "Third-party CDN", builtIn: false, incidents: 0 });
    expect(added.headers.get("location")).toBe(`/api/categories/${added.body.id}`);

    const taken = await call(server, "POST", "/api/categories", { name: "third-party cdn" }, { as: "admin" });
    expect(taken.status).toBe(400);
    expect(taken.body.errors).toEqual({ name: '"Third-party CDN" is already a category' });
    expect((await call(server, "POST", "/api/categories", { name: "" }, { as: "admin" })).body.errors).toEqual({ name: "Name is required" });
    expect((await call(server, "POST", "/api/categories", { name: "x", builtIn: true }, { as: "admin" })).body.errors).toEqual({ builtIn: 'Unknown field "builtIn"' });

    const incident = await createIncident(server, { title: "Images missing", category: "THIRD-PARTY cdn" });
    expect(incident.category).toBe("Third-party CDN");
    const inUse = await call(server, "DELETE", `/api/categories/${added.body.id}`, undefined, { as: "admin" });
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toBe(`"Third-party CDN" cannot be deleted: 1 incident uses it. Change that incident's cause category first.`);

    const builtIn = readRow(server, "select id from categories where name = 'deployment'")!;
    const refused = await call(server, "DELETE", `/api/categories/${builtIn.id}`, undefined, { as: "admin" });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('"deployment" is built in and cannot be deleted');

    expect((await call(server, "PATCH", `/api/incidents/${incident.id}`, { category: null })).status).toBe(200);
    expect((await call(server, "DELETE", `/api/categories/${added.body.id}`, undefined, { as: "admin" })).status).toBe(204);
    expect((await call(server, "DELETE", `/api/categories/${added.body.id}`, undefined, { as: "admin" })).status).toBe(404);
    const gone = await call(server, "POST", "/api/incidents", { title: "After", severity: "SEV4", category: "Third-party CDN" });
    expect(gone.status).toBe(400);
    expect(gone.body.errors.category).not.toContain("Third-party CDN");
  });

  it("answers 405 for methods it does not take", async () => {
    expect((await call(server, "PATCH", "/api/categories", { name: "x" }, { as: "admin" })).status).toBe(405);
    const unknown = readRow(server, "select id from categories where name = 'unknown'")!;
    expect((await call(server, "PATCH", `/api/categories/${unknown.id}`, { name: "x" }, { as: "admin" })).status).toBe(405);
  });
});

describe("Admin › Cause categories, as a browser without JavaScript sees it", () => {
  it("is a tab of Admin, for admins only, showing each category's use; a refused delete is explained beside its button", async () => {
    expect((await server.fetch("/admin/categories", { as: "editor" })).status).toBe(403);
    await createIncident(server, { title: "Kept for the page", category: "hardware" });
    const page = await server.fetch("/admin/categories", { as: "admin" });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('href="/admin/categories"');
    expect(html).toContain("configuration change");
    expect(html).toContain('href="/incidents?category=hardware"');

    const added = await postForm(server, "/admin/categories", { intent: "add-category", name: "Vendor outage" });
    expect(added.status).toBe(200);
    const again = await postForm(server, "/admin/categories", { intent: "add-category", name: "vendor OUTAGE" });
    expect(again.status).toBe(400);
    expect(again.text).toMatch(/<small class="field-error" id="name-error" role="alert">&quot;Vendor outage&quot; is already a category<\/small>/);
    expect(again.text).toContain('value="vendor OUTAGE"');

    const vendor = readRow(server, "select id from categories where name = 'Vendor outage'")!;
    await createIncident(server, { title: "Vendor down", category: "vendor outage" });
    const refused = await postForm(server, "/admin/categories", { intent: "delete-category", categoryId: String(vendor.id) });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(`id="category-${vendor.id}-error"`);
    expect(refused.text).toContain("1 incident uses it");
  });
});
