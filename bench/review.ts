// The review part of `npm run bench` (also runs alone: `npx tsx bench/review.ts`): full-text
// search of past outages and the insights page, on 10,000 incidents with 200,000 timeline
// entries and 40,000 corrective actions written from a vocabulary of outage words, services
// and people (Zipf-distributed, so some words are in most entries and some in a handful).
// Rows go in with plain inserts in one transaction; the search index is filled by the
// database's own triggers, as for any write. BENCH_REVIEW_SCALE scales the data (0 skips).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

import { measure } from "./measure";

const SCALE = Number(process.env.BENCH_REVIEW_SCALE ?? 1);
const INCIDENTS = Math.max(50, Math.round(10_000 * SCALE));
const DAY = 86_400_000;

async function runReviewBench() {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "hindsight-bench-review-"));
  // Before the first getDb() of this process (bench/run.ts closes its databases before importing this).
  process.env.DATABASE_PATH = path.join(directory, "review.db");

  const { getDb, closeDb } = await import("~/db/client.server");
  const { searchIncidents } = await import("~/review/search.server");

  const db = getDb();
  const loadStart = performance.now();
  const counts = generate(db, INCIDENTS);
  const loadSeconds = (performance.now() - loadStart) / 1000;
  db.$client.pragma("wal_checkpoint(TRUNCATE)");
  const indexRows = db.$client.prepare("select count(*) from search_index").pluck().get() as number;
  console.log(
    `\nReview: loaded ${counts.incidents.toLocaleString("en-US")} incidents, ${counts.entries.toLocaleString("en-US")} timeline entries, ` +
      `${counts.actions.toLocaleString("en-US")} actions in ${loadSeconds.toFixed(1)} s (${(fs.statSync(process.env.DATABASE_PATH).size / 1e6).toFixed(0)} MB, ` +
      `${indexRows.toLocaleString("en-US")} rows in the search index)`,
  );

  // --- Search: a mix of what people type (the common word is in about a quarter of all rows) ---
  const queries: { name: string; input: Parameters<typeof searchIncidents>[0] }[] = [
    { name: "rare word", input: { q: counts.rareWord } },
    { name: "common word", input: { q: "timeout" } },
    { name: "two words", input: { q: "certificate expired" } },
    { name: "phrase", input: { q: '"connection pool"' } },
    { name: "prefix", input: { q: "throttl*" } },
    { name: "common word, SEV1, one year", input: { q: "timeout", severity: "SEV1", from: "2023-01-01", to: "2023-12-31" } },
    { name: "word, one service", input: { q: "rollback", service: "payments" } },
  ];
  const found: string[] = [];
  const sqlite = db.$client;
  const rowsWith = (word: string) => sqlite.prepare("select count(*) from search_index where search_index match ?").pluck().get(`"${word}"`) as number;
  for (const { name, input } of queries) {
    const result = searchIncidents(input);
    if (result.error) throw new Error(`search ${name}: ${result.error}`);
    found.push(`${name} ${result.total.toLocaleString("en-US")}${result.limited ? " (newest ranked)" : ""}`);
    measure(`search: ${name}`, 50, () => searchIncidents(input), "< 20 ms");
  }
  measure(`search: the ${queries.length} above, in turn`, 20 * queries.length, (index) => searchIncidents(queries[index % queries.length].input), "p50 < 20 ms");
  // Outside the mix: a word in two thirds of all rows, the worst case of ranking only the newest matches.
  const veryCommon = { q: "database" };
  measure("search: very common word (worst case)", 30, () => searchIncidents(veryCommon));
  console.log(
    `  (incidents found: ${found.join(", ")}; rows with "timeout" ${rowsWith("timeout").toLocaleString("en-US")}, ` +
      `"database" ${rowsWith("database").toLocaleString("en-US")}, "${counts.rareWord}" ${rowsWith(counts.rareWord)})`,
  );

  // --- Insights over the whole range: data, and data + renderToString of the page's component ---
  if (!process.env.NODE_ENV) process.env.NODE_ENV = "production";
  const { createElement } = await import("react");
  const { renderToString } = await import("react-dom/server");
  const { insightsData } = await import("~/review/insights.server");
  const { InsightsView } = await import("~/components/review/insights-view");
  const range = { from: "2021-01-01", to: "2025-12-31" };
  const now = Date.parse("2026-01-01T12:00:00Z");
  measure("insights, 5 years: data", 30, () => insightsData(range, now), "< 100 ms");
  measure("insights, 5 years: data + render", 30, () => renderToString(createElement(InsightsView, { data: insightsData(range, now) })), "< 100 ms");

  const memory = process.memoryUsage();
  console.log(`\nResident memory ${(memory.rss / 1e6).toFixed(0)} MB, heap used ${(memory.heapUsed / 1e6).toFixed(0)} MB`);
  closeDb();
  fs.rmSync(directory, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------
// The data

const SERVICES = [
  "booking web app", "booking database", "connection pool", "availability API", "search", "payments", "checkout", "auth",
  "notifications", "image CDN", "reviews", "pricing", "inventory", "email", "admin console", "reporting", "message queue",
  "cache", "geocoding", "partner API", "mobile API", "ledger", "fraud scoring", "recommendations", "billing",
  "identity provider", "object storage", "DNS", "load balancer", "VPN", "CI pipeline", "feature flags", "analytics",
  "data warehouse", "support portal", "status page", "webhooks", "sms gateway", "maps", "loyalty",
];
const PEOPLE = [
  "Ana", "Bo", "Chen", "Dara", "Emeka", "Fatima", "Goran", "Hiro", "Inès", "Jonas", "Kemal", "Lucía", "Mahari", "Noor",
  "Oskar", "Priya", "Quentin", "Rania", "Søren", "Tomás", "Uma", "Valentina", "Wei", "Xavier", "Yusuf", "Zoë", "Björn",
  "Çağla", "François", "Renée", "José", "Amara", "Dmitri", "Elif", "Kwame", "Leila", "Mateo", "Nadia", "Olu", "Sanjay",
];
/** Outage words, most frequent first (drawn with a Zipf distribution). */
const WORDS = (
  "the database connection error users requests service team timeout latency deploy rollback alert config traffic " +
  "server restart pool queue cache retry logs memory cpu node cluster replica primary failover dns load balancer " +
  "certificate expired upstream gateway 503 502 disk full kubernetes pod evicted migration index query slow lock " +
  "contention deadlock release canary feature flag hotfix monitoring dashboard pager escalated investigated identified " +
  "mitigated resolved customers reported support ticket status page backlog consumer partition kafka throttling quota " +
  "exceeded rate limit spike region zone network packet loss firewall rule bgp route tls handshake secret rotation token " +
  "session login cookie cron job batch scheduler clock skew ntp storage bucket permissions iam policy vendor outage " +
  "provider degraded capacity autoscaling headroom saturation garbage collection pause heap leak oom killed thread " +
  "exhausted file descriptors socket keepalive idle connections reset ssl proxy nginx envoy sidecar mesh circuit breaker " +
  "open half fallback stale replication lag snapshot backup restore corruption checksum schema column constraint " +
  "duplicate key violation orphaned records reconciliation double charged refunds invoices webhook delivery duplicated " +
  "idempotency missing header malformed payload parser crash panic segfault core dump stack trace regression bisect " +
  "commit reverted pipeline build artifact registry image pull backoff crashloop readiness probe liveness healthcheck " +
  "flapping noisy threshold tuned runbook outdated handover shift follow communication stakeholders war room bridge " +
  "postmortem blameless timeline detection responders paged acknowledged woke weekend holiday peak black friday " +
  "campaign marketing email burst sms provider throttled push notifications apns fcm certificate renewal automation " +
  "manual step forgotten checklist terraform drift state apply plan console change unreviewed approval bypassed " +
  "permissions escalation credentials leaked rotated revoked audit trail compliance gdpr encryption kms key hsm " +
  "entropy random seed misconfiguration typo yaml indentation environment variable staging production parity " +
  "synthetic probe geo latency cdn purge cache stampede thundering herd jitter exponential hedged requests tail p99 " +
  "budget error slo burn rate brownout shed priority admission control rate-limiter token bucket leaky sliding window " +
  "sharding rebalancing hotspot tenant noisy-neighbour isolation cgroup throttled cfs quota kernel upgrade reboot " +
  "firmware nic driver bonding switch flap spanning tree loop multicast arp storm mtu fragmentation jumbo frames " +
  "ipv6 dual stack happy eyeballs resolver negative caching ttl propagation registrar glue records dnssec signature " +
  "ocsp stapling chain intermediate root trust store java keystore truststore pinning mobile app store review " +
  "hotpatch feature toggle kill switch dark launch shadow traffic replay mirror diff comparison golden signals " +
  "saturation errors traffic apdex heatmap percentile histogram bucket cardinality explosion metrics ingestion " +
  "prometheus grafana alertmanager silence inhibition routing receiver webhook opsgenie pagerduty slack bridge " +
  "été naïve café façade coöperation résumé jalapeño"
).split(/\s+/);

/** A small seeded PRNG, so every run generates the same data. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Db = ReturnType<typeof import("~/db/client.server").getDb>;

function generate(db: Db, incidentCount: number) {
  const random = mulberry32(2_024_0609);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  // Zipf (s = 1): the cumulative weights, searched with a binary search per draw.
  const cumulative: number[] = [];
  WORDS.reduce((sum, _word, rank) => (cumulative.push(sum + 1 / (rank + 1)), sum + 1 / (rank + 1)), 0);
  const totalWeight = cumulative[cumulative.length - 1];
  const zipfWord = () => {
    const target = random() * totalWeight;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] < target) low = middle + 1;
      else high = middle;
    }
    return WORDS[low];
  };
  const words = (min: number, max: number) => Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, zipfWord).join(" ");
  // Now and then something only one entry has: a host, a ticket, a commit.
  const oddity = () => pick([`db-node-${Math.floor(random() * 400)}`, `OPS-${1000 + Math.floor(random() * 9000)}`, `commit ${Math.floor(random() * 0xfffffff).toString(16)}`]);
  const sentence = (min: number, max: number) => {
    const text = `${pick(PEOPLE)} ${words(min, max)} on ${pick(SERVICES)}${random() < 0.08 ? ` (${oddity()})` : ""}.`;
    return text[0].toUpperCase() + text.slice(1);
  };
  const paragraph = (sentences: number) => Array.from({ length: sentences }, () => sentence(6, 16)).join(" ");

  const sqlite = db.$client;
  const now = Date.parse("2026-01-01T00:00:00Z");
  const first = Date.parse("2021-01-01T00:00:00Z");
  const spacing = (now - first) / incidentCount;
  const severities = ["SEV1", "SEV2", "SEV2", "SEV3", "SEV3", "SEV3", "SEV4", "SEV4"] as const;
  const categories = ["configuration change", "deployment", "capacity", "dependency", "hardware", "network", "security", "data", "unknown"];
  const kinds = ["detection", "escalation", "action", "communication", "resolution", "note"];
  const actionTypes = ["prevent", "mitigate", "detect", "process"];
  const rareWord = "zanzibar";
  let entries = 0;
  let actions = 0;

  sqlite.transaction(() => {
    const insertService = sqlite.prepare("insert into services (name, created_at) values (?, ?)");
    const serviceIds = SERVICES.map((name) => Number(insertService.run(name, first).lastInsertRowid));
    const insertIncident = sqlite.prepare(
      `insert into incidents (title, severity, status, started_at, detected_at, mitigated_at, resolved_at, time_zone, impact_percent,
        impact_description, summary, root_cause, resolution, lessons, category, "trigger", detection_method, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, 'UTC', ?, ?, ?, ?, ?, ?, ?, ?, 'monitor', ?, ?)`,
    );
    const insertLink = sqlite.prepare("insert into incident_services (incident_id, service_id, position) values (?, ?, ?)");
    const insertEntry = sqlite.prepare(
      "insert into timeline_entries (incident_id, occurred_at, text, kind, author, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)",
    );
    const insertAction = sqlite.prepare(
      `insert into corrective_actions (incident_id, title, details, type, owner, due_date, priority, status, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, 'P2', 'open', ?, ?)`,
    );
    for (let index = 0; index < incidentCount; index++) {
      const startedAt = Math.round(first + index * spacing + random() * spacing);
      const service = Math.floor(random() * SERVICES.length);
      const title = `${SERVICES[service]} ${pick(["down", "degraded", "errors", "slow", "unavailable", "partial outage"])}: ${words(2, 5)}${index % 997 === 0 ? ` ${rareWord}` : ""}`;
      const id = Number(
        insertIncident.run(
          title, pick(severities), random() < 0.05 ? "investigating" : "closed",
          startedAt, startedAt + 600_000, startedAt + 3_600_000, startedAt + 7_200_000, Math.round(random() * 100),
          sentence(6, 14), paragraph(4), paragraph(2), paragraph(2), paragraph(2), pick(categories), words(2, 5), startedAt, startedAt,
        ).lastInsertRowid,
      );
      const linked = new Set([service, Math.floor(random() * SERVICES.length), Math.floor(random() * SERVICES.length)].slice(0, 1 + Math.floor(random() * 3)));
      [...linked].forEach((serviceIndex, position) => insertLink.run(id, serviceIds[serviceIndex], position));
      // 10 to 30 entries (20 on average) and 1 to 7 actions (4 on average).
      const entryCount = 10 + (index % 21);
      for (let entry = 0; entry < entryCount; entry++) {
        const text = sentence(8, 22) + (index % 1009 === 3 && entry === 5 ? ` ${rareWord} again` : "");
        insertEntry.run(id, startedAt + entry * 4 * 60_000, text, pick(kinds), pick(PEOPLE), startedAt, startedAt);
      }
      entries += entryCount;
      const actionCount = 1 + ((index * 3) % 7);
      for (let action = 0; action < actionCount; action++) {
        const due = new Date(startedAt + (action + 1) * 14 * DAY).toISOString().slice(0, 10);
        insertAction.run(id, sentence(4, 9), paragraph(1), pick(actionTypes), pick(PEOPLE), due, startedAt, startedAt);
      }
      actions += actionCount;
    }
  })();
  return { incidents: incidentCount, entries, actions, rareWord };
}


// Last: the vocabulary above must be initialised first.
if (SCALE > 0) await runReviewBench();
