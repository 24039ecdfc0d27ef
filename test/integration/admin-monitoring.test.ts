// The admin's monitoring settings page through a real server: auto-draft on, refused, off.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startServer, type TestServer } from "../helpers/server";

describe("/admin/monitoring", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ MONITOR: "0" });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const post = (fields: Record<string, string>, as: "admin" | "editor" = "admin") =>
    server.fetch("/admin/monitoring", { method: "POST", as, redirect: "manual", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });

  it("turns auto-draft on, keeps a refused value in the field with its message, and turns it off", async () => {
    const page = async () => (await server.fetch("/admin/monitoring", { as: "admin" })).text();
    expect(await page()).toContain("Off: monitors never open incidents.");
    expect(await page()).toContain("Off (MONITOR=0)");

    const refused = await post({ autoDraftMinutes: "ten" });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("Minutes must be a whole number from 1 to 1,440, or blank to turn auto-draft off");
    expect(html).toContain('value="ten"');

    expect((await post({ autoDraftMinutes: "15" })).status).toBe(302);
    expect(await page()).toContain("On: a service down for 15 minutes or more opens a draft incident");

    expect((await post({ autoDraftMinutes: "15", intent: "off" })).status).toBe(302);
    expect(await page()).toContain("Off: monitors never open incidents.");
  });

  it("is for admins only", async () => {
    expect((await post({ autoDraftMinutes: "5" }, "editor")).status).toBe(403);
  });
});
