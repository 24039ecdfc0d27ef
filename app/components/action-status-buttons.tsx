import { useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";

import { ACTION_STATUSES, ACTION_STATUS_LABELS, type ActionStatus } from "~/lib/vocabulary";

import { ActionStatusBadge } from "./badges";
import { useCanEdit } from "./user";

/**
 * One click changes an action's status. With JavaScript the change shows at
 * once (optimistic), the page neither reloads nor scrolls, and a refused change
 * puts the old status back; without it, the form posts and the server sends the
 * user back to `redirectTo`.
 */
export function ActionStatusButtons({ actionId, status, redirectTo, label }: { actionId: number; status: ActionStatus; redirectTo: string; label: string }) {
  const fetcher = useFetcher();
  const canEdit = useCanEdit();
  // Only once scripts run does the form ask for data back; without them the server redirects.
  const [scripted, setScripted] = useState(false);
  useEffect(() => setScripted(true), []);
  const pending = fetcher.formData?.get("status");
  const shown = typeof pending === "string" ? (pending as ActionStatus) : status;
  const refused = fetcher.state === "idle" ? (fetcher.data as { ok?: boolean; errors?: { status?: string } } | undefined) : undefined;
  if (!canEdit) return <ActionStatusBadge status={status} />;
  return (
    <>
      <fetcher.Form method="post" action={`/actions/${actionId}/status`} className="status-buttons" aria-label={`Status of ${label}`}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        {scripted ? <input type="hidden" name="respond" value="data" /> : null}
        {ACTION_STATUSES.map((value) => (
          <button key={value} type="submit" name="status" value={value} aria-pressed={shown === value}>
            {ACTION_STATUS_LABELS[value]}
          </button>
        ))}
      </fetcher.Form>
      {refused?.ok === false ? (
        <small className="field-error" role="alert">
          Not changed: {refused.errors?.status ?? "the server refused the change"}
        </small>
      ) : null}
    </>
  );
}
