import { ACTION_STATUS_LABELS, INCIDENT_STATUS_LABELS, type ActionStatus, type IncidentStatus, type Severity } from "~/lib/vocabulary";

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <span className={`badge severity-${severity.toLowerCase()}`}>{severity}</span>;
}

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return <span className={`badge status-${status}`}>{INCIDENT_STATUS_LABELS[status]}</span>;
}

export function ActionStatusBadge({ status }: { status: ActionStatus }) {
  return <span className={`badge action-${status}`}>{ACTION_STATUS_LABELS[status]}</span>;
}
