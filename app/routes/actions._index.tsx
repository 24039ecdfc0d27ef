import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { ShouldRevalidateFunction } from "@remix-run/react";

import { ActionStatusButtons } from "~/components/action-status-buttons";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { SelectField, TextField } from "~/components/forms";
import { ACTION_STATUSES, ACTION_STATUS_LABELS, ACTION_TYPES, type ActionStatus, type ActionType } from "~/lib/vocabulary";
import { formatCalendarDate } from "~/lib/time";
import { isOverdue, listActionOwners, listActions, today } from "~/models/actions.server";

export const meta: MetaFunction = () => [{ title: "Corrective actions · Hindsight" }];

const TRACKER_LIMIT = 500;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A refused status change keeps the list as it was, so its message stays beside the action it is about. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  (actionResult as { ok?: boolean } | undefined)?.ok === false ? false : defaultShouldRevalidate;

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const status = params.get("status");
  const type = params.get("type");
  const sort = params.get("sort");
  const todayDate = today();
  // Managers come here for what still needs doing: pending actions unless they ask otherwise.
  const statusFilter = status === "all" ? null : ACTION_STATUSES.includes(status as ActionStatus) ? (status as ActionStatus) : "pending";
  const actions = listActions({
    status: statusFilter,
    limit: TRACKER_LIMIT + 1,
    type: ACTION_TYPES.includes(type as ActionType) ? (type as ActionType) : null,
    owner: params.get("owner") || null,
    overdue: params.get("overdue") === "true",
    sort: sort === "due_desc" ? "due_desc" : "due",
    today: todayDate,
  });
  return json({
    truncated: actions.length > TRACKER_LIMIT,
    actions: actions.slice(0, TRACKER_LIMIT).map((action) => {
      const overdue = isOverdue(action, todayDate);
      return {
        id: action.id,
        title: action.title,
        incidentId: action.incidentId,
        incidentTitle: action.incidentTitle,
        owner: action.owner,
        type: action.type,
        priority: action.priority,
        status: action.status,
        due: action.dueDate ? formatCalendarDate(action.dueDate) : null,
        overdueDays: overdue && action.dueDate ? daysBetween(action.dueDate, todayDate) : null,
      };
    }),
    owners: listActionOwners(),
    values: Object.fromEntries(params.entries()),
    today: formatCalendarDate(todayDate),
  });
}

export default function ActionsTracker() {
  const { actions, truncated, owners, values, today: todayText } = useLoaderData<typeof loader>();
  const query = new URLSearchParams(values).toString();
  const here = `/actions${query ? `?${query}` : ""}`;
  const overdueCount = actions.filter((action) => action.overdueDays !== null).length;
  return (
    <>
      <h1>Corrective actions</h1>
      <Form method="get" className="card filters" aria-label="Filter corrective actions">
        <SelectField
          name="status"
          label="Status"
          options={[
            { value: "", label: "Open or in progress" },
            { value: "all", label: "Any" },
            ...ACTION_STATUSES.map((value) => ({ value, label: ACTION_STATUS_LABELS[value] })),
          ]}
          defaultValue={values.status}
        />
        <SelectField name="owner" label="Owner" includeBlank="Anyone" options={owners} defaultValue={values.owner} />
        <SelectField name="type" label="Type" includeBlank="Any" options={ACTION_TYPES} defaultValue={values.type} />
        <SelectField
          name="sort"
          label="Sort"
          options={[
            { value: "due", label: "Due soonest first" },
            { value: "due_desc", label: "Due latest first" },
          ]}
          defaultValue={values.sort ?? "due"}
        />
        <div className="field checkbox-field">
          <label>
            <input type="checkbox" name="overdue" value="true" defaultChecked={values.overdue === "true"} /> Overdue only
          </label>
        </div>
        <button type="submit" className="primary">
          Filter
        </button>
        {query ? <Link to="/actions">Clear</Link> : null}
      </Form>
      <p className="hint">
        {truncated ? `The first ${actions.length} actions by due date` : actions.length === 1 ? "1 action" : `${actions.length} actions`}
        {overdueCount ? `, ${overdueCount} overdue` : ""}. Today is {todayText}.
      </p>
      {actions.length === 0 ? (
        <p className="empty">No corrective action matches.</p>
      ) : (
        <table>
          <caption className="sr-only">Corrective actions across all incidents, by due date</caption>
          <thead>
            <tr>
              <th scope="col">Action</th>
              <th scope="col">Owner</th>
              <th scope="col">Due</th>
              <th scope="col">Type</th>
              <th scope="col">Priority</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {actions.map((action) => (
              <tr key={action.id} className={action.overdueDays !== null ? "overdue" : undefined} data-testid="tracked-action">
                <td>
                  {action.title}
                  <div className="hint">
                    <Link to={`/incidents/${action.incidentId}/actions`}>{action.incidentTitle}</Link>
                  </div>
                </td>
                <td>{action.owner ?? <span className="empty">unassigned</span>}</td>
                <td>
                  {action.due ?? <span className="empty">no date</span>}
                  {action.overdueDays !== null ? (
                    <div className="overdue-note">
                      Overdue by {action.overdueDays} {action.overdueDays === 1 ? "day" : "days"}
                    </div>
                  ) : null}
                </td>
                <td>{action.type}</td>
                <td>{action.priority}</td>
                <td>
                  <ActionStatusButtons actionId={action.id} status={action.status} redirectTo={here} label={action.title} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="list" />;
}
