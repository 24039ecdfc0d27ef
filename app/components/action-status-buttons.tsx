import { useFetcher } from "@remix-run/react";

import { ActionStatusBadge } from "./badges";
import { useCanEdit } from "./user";
import { ACTION_STATUSES, ACTION_STATUS_LABELS, type ActionStatus } from "~/lib/vocabulary";

/**
 * One click changes an action's status. With JavaScript the change shows at
 * once (optimistic), the page neither reloads nor scrolls, and a refused change
 * puts the old status back; without it, the form posts and the server sends the
 * user back to `redirectTo`.
 */
export function ActionStatusButtons({ actionId, status, redirectTo, label }: { actionId: number; status: ActionStatus; redirectTo: string; label: string }) {
  const fetcher = useFetcher();
  const canEdit = useCanEdit();
  const pending = fetcher.formData?.get("status");
  const shown = typeof pending === "string" ? (pending as ActionStatus) : status;
  if (!canEdit) return <ActionStatusBadge status={status} />;
  return (
    <fetcher.Form method="post" action={`/actions/${actionId}/status`} className="status-buttons" aria-label={`Status of ${label}`}>
      <input type="hidden" name="redirectTo" value={redirectTo} />
      {ACTION_STATUSES.map((value) => (
        <button key={value} type="submit" name="status" value={value} aria-pressed={shown === value}>
          {ACTION_STATUS_LABELS[value]}
        </button>
      ))}
    </fetcher.Form>
  );
}
