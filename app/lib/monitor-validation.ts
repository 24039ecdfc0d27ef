// Validation of services and monitors, shared by the pages and the JSON API.
// Form fields arrive as strings, JSON as values; both are accepted.
import { z } from "zod";

import { MONITOR_MODES, MONITOR_TYPES, type MonitorMode, type MonitorType } from "./health-vocabulary";
import { blankToNull, markdown, oneOf, optionalLine, requiredLine, zodFieldErrors, type Validated } from "./validation";

export const MIN_INTERVAL_SECONDS = 10;
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

const serviceShape = z.object({
  name: requiredLine("Name", 80),
  description: markdown("Description", 2_000),
});
export const SERVICE_FIELDS = Object.keys(serviceShape.shape);
export type ServiceInput = z.infer<typeof serviceShape>;

export function validateService(input: Record<string, unknown>): Validated<ServiceInput> {
  const parsed = serviceShape.safeParse(input);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, errors: zodFieldErrors(parsed.error) };
}

/** A whole number from a form string or JSON; blank gives the fallback (null: optional). */
function whole(label: string, min: number, max: number, fallback: number | null, unit = "") {
  const range = `${label} must be a whole number from ${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}${unit}`;
  return z.preprocess(
    (value) => {
      const blank = blankToNull(value);
      if (blank === null) return fallback;
      if (typeof blank === "string") return /^\s*\d+\s*$/.test(blank) ? Number(blank) : blank;
      return blank;
    },
    z.number({ error: range }).int(range).min(min, range).max(max, range).nullable(),
  );
}

/**
 * Checks run from the Hindsight server, so whoever may edit monitors reaches what it reaches.
 * Link-local addresses are refused: they hold cloud instance metadata (credentials), never a service.
 */
export function isMetadataHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  return /^169\.254\./.test(host) || /^fe80:/.test(host) || host === "fd00:ec2::254" || host === "metadata.google.internal" || host === "metadata";
}

/** "200-299", "200-299, 301, 404": each code or range within 100–599. */
export function parseStatusRanges(text: string): [number, number][] | null {
  const ranges: [number, number][] = [];
  for (const part of text.split(",")) {
    const match = /^\s*(\d{3})\s*(?:-\s*(\d{3}))?\s*$/.exec(part);
    if (!match) return null;
    const low = Number(match[1]);
    const high = Number(match[2] ?? match[1]);
    if (low < 100 || high > 599 || low > high) return null;
    ranges.push([low, high]);
  }
  return ranges.length ? ranges : null;
}

const monitorShape = z.object({
  serviceId: z.preprocess(
    (value) => (typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value),
    z.number({ error: "Choose the service this monitor watches" }).int().positive("Choose the service this monitor watches"),
  ),
  name: requiredLine("Name", 120),
  type: oneOf("Type", MONITOR_TYPES),
  mode: oneOf("Mode", MONITOR_MODES, "active"),
  intervalSeconds: whole("Interval", MIN_INTERVAL_SECONDS, 86_400, 60, " seconds"),
  retries: whole("Failures before down", 1, 20, 2),
  timeoutMs: whole("Timeout", 100, 120_000, 10_000, " ms"),
  degradedMs: whole("Degraded above", 1, 120_000, null, " ms"),
  url: optionalLine("URL", 2_000),
  method: z.preprocess(
    (value) => (typeof value === "string" ? value.trim().toUpperCase() || undefined : (value ?? undefined)),
    z.enum(HTTP_METHODS, { error: `Method must be one of ${HTTP_METHODS.join(", ")}` }).default("GET"),
  ),
  acceptedStatus: z.preprocess(
    (value) => blankToNull(value) ?? "200-299",
    z
      .string({ error: "Accepted status codes must be text such as 200-299" })
      .trim()
      .refine((text) => parseStatusRanges(text) !== null, "Accepted status codes: codes or ranges such as 200-299, 301"),
  ),
  bodyContains: optionalLine("Body contains", 500),
  jsonPath: optionalLine("JSON path", 200),
  jsonExpected: optionalLine("Expected JSON value", 500),
  host: optionalLine("Host", 255),
  port: whole("Port", 1, 65_535, null),
  graceSeconds: whole("Grace period", 0, 86_400, 60, " seconds"),
  alertName: optionalLine("Alert name", 200),
});
export const MONITOR_FIELDS = Object.keys(monitorShape.shape);

export type MonitorInput = {
  serviceId: number;
  name: string;
  type: MonitorType;
  mode: MonitorMode;
  intervalSeconds: number;
  retries: number;
  timeoutMs: number;
  degradedMs: number | null;
  url: string | null;
  method: string;
  acceptedStatus: string;
  bodyContains: string | null;
  jsonPath: string | null;
  jsonExpected: string | null;
  host: string | null;
  port: number | null;
  graceSeconds: number;
  alertName: string | null;
};

/** Validates a whole monitor: the fields its type needs are required, the rest are cleared. */
export function validateMonitor(input: Record<string, unknown>): Validated<MonitorInput> {
  const parsed = monitorShape.safeParse(input);
  if (!parsed.success) return { ok: false, errors: zodFieldErrors(parsed.error) };
  const data = parsed.data as MonitorInput;
  const errors: Record<string, string> = {};
  if (data.type === "http") {
    if (!data.url) errors.url = "URL is required for an HTTP monitor";
    else {
      let url: URL | null = null;
      try {
        url = new URL(data.url);
      } catch {
        url = null;
      }
      if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) errors.url = "URL must start with http:// or https://";
      else if (isMetadataHost(url.hostname)) errors.url = "Cloud metadata addresses (169.254.x.x, metadata.google.internal) cannot be monitored";
    }
    if (data.jsonExpected && !data.jsonPath) errors.jsonPath = "Give the JSON path whose value should match";
    // One unambiguous step after another (no nested repetition: a long path is checked in linear time).
    if (data.jsonPath && !/^\$?(?:\.?[A-Za-z_$][\w$-]*|\[\d+\])(?:\.[A-Za-z_$][\w$-]*|\[\d+\])*$|^\$$/.test(data.jsonPath)) {
      errors.jsonPath = "JSON path: fields and indexes such as $.status or $.checks[0].ok";
    }
    if (data.degradedMs != null && data.degradedMs >= data.timeoutMs) errors.degradedMs = "Degraded above must be less than the timeout";
  }
  if (data.type === "tcp") {
    if (!data.host) errors.host = "Host is required for a TCP monitor";
    else if (/[\s/]/.test(data.host)) errors.host = "Host is a name or address, without a scheme or path";
    if (data.port == null) errors.port = "Port is required for a TCP monitor";
  }
  if (data.type !== "alert" && data.type !== "push" && data.timeoutMs > data.intervalSeconds * 1000) {
    errors.timeoutMs = `Timeout must not be longer than the interval (${data.intervalSeconds} s), or checks would run back to back`;
  }
  if (data.type === "alert" && !data.alertName) errors.alertName = "Alert name is required: the alertname label this monitor follows";
  if (Object.keys(errors).length) return { ok: false, errors };
  // Keep only what the type uses, so a switched type leaves no stale settings behind.
  const keep = {
    http: ["url", "method", "acceptedStatus", "bodyContains", "jsonPath", "jsonExpected", "degradedMs"],
    tcp: ["host", "port", "degradedMs"],
    push: ["graceSeconds", "degradedMs"],
    alert: ["alertName"],
  }[data.type];
  const cleared = { ...data };
  for (const field of ["url", "bodyContains", "jsonPath", "jsonExpected", "host", "port", "alertName", "degradedMs"] as const) {
    if (!keep.includes(field)) (cleared as Record<string, unknown>)[field] = null;
  }
  return { ok: true, data: cleared };
}
