import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";

import { RouteErrorBoundary } from "~/components/error-boundary";
import { TextField } from "~/components/forms";
import { InsightsView } from "~/components/review/insights-view";
import { insightsData } from "~/review/insights.server";
import { readRange } from "~/review/insights-range";

export const meta: MetaFunction = () => [{ title: "Insights · Hindsight" }];

/** GET /insights?from=YYYY-MM-DD&to=YYYY-MM-DD (UTC days by incident start; default the last 12 months). */
export async function loader({ request }: LoaderFunctionArgs) {
  const result = readRange(new URL(request.url).searchParams);
  if (!result.ok) return json({ data: null, errors: result.errors, values: result.values }, { status: 400 });
  return json({ data: insightsData(result.range), errors: {} as Partial<Record<"from" | "to", string>>, values: result.range });
}

export default function Insights() {
  const { data, errors, values } = useLoaderData<typeof loader>();
  const query = data ? `?${new URLSearchParams({ from: data.range.from, to: data.range.to })}` : "";
  return (
    <>
      <h1>Insights</h1>
      <p className="hint">Are we getting better, and which corrective actions are stuck? Incidents are counted by the UTC day they started.</p>
      <Form method="get" className="card filters" aria-label="Date range" noValidate>
        <TextField name="from" label="Started from" type="date" defaultValue={values.from} error={errors.from} />
        <TextField name="to" label="Started until" type="date" defaultValue={values.to} error={errors.to} />
        <button type="submit" className="primary">
          Show
        </button>
      </Form>
      {data ? (
        <>
          <p className="row-actions">
            <a href={`/insights/incidents.csv${query}`}>Download incidents (CSV)</a>
            <a href={`/insights/actions.csv${query}`}>Download actions (CSV)</a>
            <span className="hint">Actions: those of the incidents in this range.</span>
          </p>
          <InsightsView data={data} />
        </>
      ) : (
        <p className="empty">Correct the dates above to see the figures.</p>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="page" />;
}
