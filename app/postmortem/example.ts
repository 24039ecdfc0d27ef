// The seed postmortem (../shared/fixtures/seed-postmortem.md) structured by hand:
// the example incident a newcomer sees on first start. Text is the document's own.
import type { ActionInput, IncidentInput, TimelineInput } from "~/lib/validation";

const zone = "GMT+3";
/** 9 June 2024 at hh:mm in GMT+3, as a UTC instant. */
const at = (hour: number, minute: number) => Date.UTC(2024, 5, 9, hour - 3, minute);

export const exampleIncident: IncidentInput = {
  title: "Bookings failed: misconfigured database connection pool",
  severity: "SEV1",
  status: "in_review",
  timeZone: zone,
  startedAt: at(16, 20),
  detectedAt: at(16, 20),
  mitigatedAt: at(17, 0),
  // The document's summary says the pool was rectified at 11:10 PM; its timeline
  // declares the incident resolved at 5:10 PM. The summary's end is kept, and the
  // disagreement is left visible for the review.
  resolvedAt: at(23, 10),
  impactPercent: 45,
  impactDescription: "Users could not book guest houses and hotel services.",
  services: ["booking web app", "booking database", "connection pool"],
  // The summary: a misconfigured pool, after a new feature deployment, first reported by users.
  category: "configuration change",
  trigger: "new feature deployment",
  detectionMethod: "customer_report",
  summary:
    "Our recently launched Airbnb clone website experienced a critical issue following a new feature deployment. 10 minutes after the update, users reported being unable to book guest houses and hotel services on our platform. We received significant number of  user complaints, impacting for about 45% of our users. Further investigation revealed a misconfigured database connection pool. This configuration error prevented the application from establishing a stable connection to the database, hindering user authentication and booking processes. The malfunction began On 09-06-2024, at 4:20 PM GMT+3 and persisted until the database connection pool was rectified On 09-06-2024, at 11:10 PM GMT+3. This incident highlights the importance of thorough configuration management and automated testing procedures, particularly after deployments.",
  rootCause:
    "The root cause of the outage was a failure of the connection between the web application and the database.",
  resolution:
    "The engineering team identified the issue through monitoring alerts and successfully resolved it by restarting the database server.",
  lessons: "",
  unplaced: "",
};

export const exampleTimeline: TimelineInput[] = [
  { occurredAt: at(16, 20), kind: "detection", author: null, text: "The issue began. User reports indicated an inability to complete bookings." },
  { occurredAt: at(16, 20), kind: "detection", author: null, text: "Mahari, our backend sinor developers, experienced the same issues our customers reported." },
  { occurredAt: at(16, 30), kind: "action", author: null, text: "Engineering team investigates the issue. Initial troubleshooting focuses on database logs, query performance and network connectivity." },
  { occurredAt: at(16, 40), kind: "action", author: null, text: "They identify the database connection failure and begin troubleshooting the database server." },
  { occurredAt: at(16, 45), kind: "note", author: null, text: "We were mislead by thinking that the  external API for availability verification experienced an outage." },
  { occurredAt: at(16, 50), kind: "escalation", author: null, text: "The incident was escalated incident to the DevOps team.." },
  { occurredAt: at(17, 0), kind: "action", author: null, text: "The team restarts the database server, which resolves the connection issue." },
  { occurredAt: at(17, 10), kind: "resolution", author: null, text: "Functionality is verified, and the incident is declared resolved." },
];

const action = (title: string, type: ActionInput["type"], priority: ActionInput["priority"]): ActionInput => ({
  title,
  details: "",
  type,
  owner: null,
  dueDate: null,
  priority,
  status: "open",
  trackerUrl: null,
});

export const exampleActions: ActionInput[] = [
  action("Investigate the cause of the database server failure. This may involve reviewing server logs or performing further diagnostics.", "process", "P1"),
  action("Setup a monitoring system for the database and application servers to keep track of any issue that may occur.", "detect", "P1"),
  action("Improve monitoring of the database server health to provide early warnings of potential issues.", "detect", "P2"),
  action("Implement automated failover mechanisms to ensure the application can connect to a secondary database in case of a primary server failure.", "mitigate", "P2"),
];
