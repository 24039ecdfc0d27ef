// Monitor settings as the form and the API send them: what is refused, with which message,
// and what is kept for each type.
import { describe, expect, it } from "vitest";

import { parseStatusRanges, validateMonitor } from "~/lib/monitor-validation";

const http = { serviceId: "1", name: "Home page", type: "http", url: "https://example.com/health" };
const tcp = { serviceId: 1, name: "Database port", type: "tcp", host: "db.internal", port: 5432 };

function errorsOf(input: Record<string, unknown>) {
  const result = validateMonitor(input);
  if (result.ok) throw new Error("expected the input to be refused");
  return result.errors;
}

function dataOf(input: Record<string, unknown>) {
  const result = validateMonitor(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.data;
}

describe("a monitor", () => {
  it("fills the defaults a blank form leaves out", () => {
    expect(dataOf({ ...http, intervalSeconds: "", retries: "", timeoutMs: "", acceptedStatus: " ", method: "" })).toEqual({
      serviceId: 1,
      name: "Home page",
      type: "http",
      mode: "active",
      intervalSeconds: 60,
      retries: 2,
      timeoutMs: 10_000,
      degradedMs: null,
      url: "https://example.com/health",
      method: "GET",
      acceptedStatus: "200-299",
      bodyContains: null,
      jsonPath: null,
      jsonExpected: null,
      host: null,
      port: null,
      graceSeconds: 60,
      alertName: null,
    });
  });

  it("takes form strings and JSON numbers alike", () => {
    expect(dataOf({ ...http, intervalSeconds: " 30 ", retries: "3", timeoutMs: 1_500, method: "head" })).toMatchObject({
      intervalSeconds: 30,
      retries: 3,
      timeoutMs: 1_500,
      method: "HEAD",
    });
  });

  it("refuses an interval under 10 seconds, or not a whole number", () => {
    expect(errorsOf({ ...http, intervalSeconds: "9" }).intervalSeconds).toBe("Interval must be a whole number from 10 to 86,400 seconds");
    expect(errorsOf({ ...http, intervalSeconds: 12.5 }).intervalSeconds).toBe("Interval must be a whole number from 10 to 86,400 seconds");
    expect(errorsOf({ ...http, intervalSeconds: "often" }).intervalSeconds).toBe("Interval must be a whole number from 10 to 86,400 seconds");
    expect(dataOf({ ...http, intervalSeconds: "10" }).intervalSeconds).toBe(10);
  });

  it("refuses a timeout longer than the interval, which would run checks back to back", () => {
    expect(errorsOf({ ...http, intervalSeconds: "10", timeoutMs: "15000" }).timeoutMs).toBe(
      "Timeout must not be longer than the interval (10 s), or checks would run back to back",
    );
    expect(dataOf({ ...http, intervalSeconds: "10", timeoutMs: "10000" }).timeoutMs).toBe(10_000);
  });

  it("refuses an unknown type and a missing service", () => {
    expect(errorsOf({ ...http, type: "ping" }).type).toBe("Type must be one of http, tcp, push, alert");
    expect(errorsOf({ ...http, serviceId: "" }).serviceId).toBe("Choose the service this monitor watches");
  });
});

describe("an HTTP monitor", () => {
  it("needs a URL", () => {
    expect(errorsOf({ ...http, url: "" })).toEqual({ url: "URL is required for an HTTP monitor" });
  });

  it("needs an http:// or https:// URL", () => {
    expect(errorsOf({ ...http, url: "ftp://example.com/file" })).toEqual({ url: "URL must start with http:// or https://" });
    expect(errorsOf({ ...http, url: "example.com" })).toEqual({ url: "URL must start with http:// or https://" });
  });

  it("refuses cloud metadata addresses, which hold credentials and never a service", () => {
    for (const url of ["http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/computeMetadata/v1/", "http://[fe80::1]/", "http://[fd00:ec2::254]/"]) {
      expect(errorsOf({ ...http, url }).url, url).toBe("Cloud metadata addresses (169.254.x.x, metadata.google.internal) cannot be monitored");
    }
    expect(dataOf({ ...http, url: "http://10.0.0.5:8080/health" }).url).toBe("http://10.0.0.5:8080/health");
  });

  it("refuses accepted status codes that are not codes or ranges", () => {
    for (const acceptedStatus of ["abc", "200-", "99", "300-200", "200,,404", "600"]) {
      expect(errorsOf({ ...http, acceptedStatus }).acceptedStatus).toBe("Accepted status codes: codes or ranges such as 200-299, 301");
    }
    expect(dataOf({ ...http, acceptedStatus: " 200-299, 404 " }).acceptedStatus).toBe("200-299, 404");
    expect(parseStatusRanges("200-299, 404")).toEqual([
      [200, 299],
      [404, 404],
    ]);
  });

  it("checks JSON conditions: an expected value needs a path, and a path must be fields and indexes", () => {
    expect(errorsOf({ ...http, jsonExpected: "ok" }).jsonPath).toBe("Give the JSON path whose value should match");
    expect(errorsOf({ ...http, jsonPath: "$..status" }).jsonPath).toBe("JSON path: fields and indexes such as $.status or $.checks[0].ok");
    expect(dataOf({ ...http, jsonPath: "$.checks[0].ok", jsonExpected: "true" })).toMatchObject({ jsonPath: "$.checks[0].ok", jsonExpected: "true" });
    // A long path that fails at its last character is refused at once (the pattern has no nested repetition).
    expect(errorsOf({ ...http, jsonPath: `$.${"a".repeat(190)}!` }).jsonPath).toBe("JSON path: fields and indexes such as $.status or $.checks[0].ok");
    expect(dataOf({ ...http, jsonPath: `$${".a1".repeat(60)}[3]` }).jsonPath).toBe(`$${".a1".repeat(60)}[3]`);
  });

  it("refuses a degraded threshold at or above the timeout", () => {
    expect(errorsOf({ ...http, timeoutMs: 1_000, degradedMs: 1_000 }).degradedMs).toBe("Degraded above must be less than the timeout");
    expect(dataOf({ ...http, timeoutMs: 1_000, degradedMs: 999 }).degradedMs).toBe(999);
  });
});

describe("a TCP monitor", () => {
  it("needs a port and a host", () => {
    expect(errorsOf({ ...tcp, port: "" })).toEqual({ port: "Port is required for a TCP monitor" });
    expect(errorsOf({ ...tcp, host: "" })).toEqual({ host: "Host is required for a TCP monitor" });
    expect(errorsOf({ ...tcp, host: "tcp://db.internal/" }).host).toBe("Host is a name or address, without a scheme or path");
    expect(errorsOf({ ...tcp, port: 70_000 }).port).toBe("Port must be a whole number from 1 to 65,535");
  });
});

describe("fields of other types", () => {
  it("are cleared, so a switched type leaves no stale settings behind", () => {
    const switchedToTcp = dataOf({ ...tcp, url: "https://example.com", bodyContains: "ok", jsonPath: "$.ok", jsonExpected: "true", alertName: "HighLatency", degradedMs: 200 });
    expect(switchedToTcp).toMatchObject({ url: null, bodyContains: null, jsonPath: null, jsonExpected: null, alertName: null, host: "db.internal", port: 5432, degradedMs: 200 });

    const switchedToHttp = dataOf({ ...http, host: "db.internal", port: 5432, alertName: "HighLatency" });
    expect(switchedToHttp).toMatchObject({ host: null, port: null, alertName: null, url: "https://example.com/health" });

    const alert = dataOf({ serviceId: 1, name: "Latency alert", type: "alert", alertName: "HighLatency", url: "https://example.com", host: "db", port: 1, degradedMs: 300 });
    expect(alert).toMatchObject({ alertName: "HighLatency", url: null, host: null, port: null, degradedMs: null });

    const push = dataOf({ serviceId: 1, name: "Nightly backup", type: "push", graceSeconds: "120", url: "https://example.com", port: 22 });
    expect(push).toMatchObject({ graceSeconds: 120, url: null, port: null });
  });

  it("an alert monitor needs the alert name it follows", () => {
    expect(errorsOf({ serviceId: 1, name: "Alert", type: "alert" })).toEqual({ alertName: "Alert name is required: the alertname label this monitor follows" });
  });
});
