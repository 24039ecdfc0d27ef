// Running one check against a real target: HTTP(S) with status, body and JSON conditions,
// or a TCP connect. Every check ends by its timeout, so a target that accepts and never
// answers costs its own monitor a timeout and nothing else.
import net from "node:net";

import type { MonitorRow } from "~/db/schema";
import { parseStatusRanges } from "~/lib/monitor-validation";

import type { CheckResultInput } from "./store.server";

const MAX_BODY_BYTES = 1_000_000;

export async function runCheck(monitor: MonitorRow, now: () => number = Date.now): Promise<CheckResultInput> {
  const at = now();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const failure = monitor.type === "http" ? await checkHttp(monitor) : monitor.type === "tcp" ? await checkTcp(monitor) : `Cannot run a ${monitor.type} check`;
    // A port that refused or never answered has no latency worth averaging; an HTTP answer, even a 500, does.
    return { at, ok: failure === null, latencyMs: failure !== null && monitor.type === "tcp" ? null : elapsed(), message: failure ?? "OK" };
  } catch (error) {
    return { at, ok: false, latencyMs: null, message: describeError(error, monitor.timeoutMs) };
  }
}

function describeError(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === "TimeoutError" || err?.name === "AbortError") return `Timed out after ${timeoutMs} ms`;
  const cause = err?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ""}`;
  return err?.message ?? String(error);
}

/** Reads the body up to a limit; a huge body is a failed check, not a full heap. */
async function readBody(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new Error(`Response body is larger than ${MAX_BODY_BYTES.toLocaleString("en-US")} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** $.a.b[0].c → the value, or undefined when any step is missing. */
export function jsonPathValue(document: unknown, path: string): unknown {
  const steps = path.replace(/^\$\.?/, "").match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let value: unknown = document;
  for (const stepText of steps) {
    if (value === null || typeof value !== "object") return undefined;
    const key = stepText.startsWith("[") ? Number(stepText.slice(1, -1)) : stepText;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

async function checkHttp(monitor: MonitorRow): Promise<string | null> {
  const signal = AbortSignal.timeout(monitor.timeoutMs);
  const ranges = parseStatusRanges(monitor.acceptedStatus ?? "200-299") ?? [[200, 299]];
  // Accepting a 3xx means the redirect itself is the answer wanted: do not follow it.
  const acceptsRedirect = ranges.some(([low, high]) => low <= 399 && high >= 300);
  const response = await fetch(monitor.url!, {
    method: monitor.method ?? "GET",
    signal,
    redirect: acceptsRedirect ? "manual" : "follow",
    headers: { "User-Agent": "Hindsight-Monitor/1", Accept: "*/*" },
  });
  // The status first: a refused status is the failure, whatever the body (even one too big to read).
  if (!ranges.some(([low, high]) => response.status >= low && response.status <= high)) {
    await response.body?.cancel();
    return `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`;
  }
  const needsBody = Boolean(monitor.bodyContains || monitor.jsonPath);
  const body = needsBody ? await readBody(response) : (await response.body?.cancel(), "");
  if (monitor.bodyContains && !body.includes(monitor.bodyContains)) return `HTTP ${response.status}, but the body does not contain "${monitor.bodyContains}"`;
  if (monitor.jsonPath) {
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch {
      return `HTTP ${response.status}, but the body is not JSON`;
    }
    const value = jsonPathValue(document, monitor.jsonPath);
    if (value === undefined) return `${monitor.jsonPath} is missing from the response`;
    if (monitor.jsonExpected != null && String(value) !== monitor.jsonExpected) {
      // The value itself is not repeated: check messages are shown to every reader, and a
      // monitor pointed at an internal endpoint must not turn into a way to read it.
      return `${monitor.jsonPath} is not ${monitor.jsonExpected}`;
    }
    if (monitor.jsonExpected == null && (value === false || value === null)) return `${monitor.jsonPath} is ${JSON.stringify(value)}`;
  }
  return null;
}

function checkTcp(monitor: MonitorRow): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: monitor.host!, port: monitor.port! });
    const finish = (failure: string | null) => {
      socket.destroy();
      resolve(failure);
    };
    socket.setTimeout(monitor.timeoutMs, () => finish(`Timed out after ${monitor.timeoutMs} ms connecting to ${monitor.host}:${monitor.port}`));
    socket.once("connect", () => finish(null));
    socket.once("error", (error: NodeJS.ErrnoException) => finish(`${error.code ?? "Error"} connecting to ${monitor.host}:${monitor.port}`));
  });
}
