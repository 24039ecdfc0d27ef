import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";

import { requireAdmin } from "~/auth/context.server";
import { TextField } from "~/components/forms";
import { autoDraftMinutes, setAutoDraftMinutes } from "~/health/auto-draft.server";
import { readConfig } from "~/lib/config.server";
import { formValues } from "~/lib/http.server";

export const meta: MetaFunction = () => [{ title: "Monitoring settings · Hindsight" }];

export async function loader({ context }: LoaderFunctionArgs) {
  requireAdmin(context);
  const config = readConfig();
  return json({ minutes: autoDraftMinutes(), checksRunning: config.monitor, rawDays: config.healthRawDays, alertLabels: config.alertServiceLabels });
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireAdmin(context);
  const values = formValues(await request.formData());
  const text = (values.autoDraftMinutes ?? "").trim();
  if (text === "" || values.intent === "off") {
    setAutoDraftMinutes(null);
    return redirect("/admin/monitoring");
  }
  const minutes = Number(text);
  if (!/^\d+$/.test(text) || minutes < 1 || minutes > 1440) {
    return json({ errors: { autoDraftMinutes: "Minutes must be a whole number from 1 to 1,440, or blank to turn auto-draft off" }, values }, { status: 400 });
  }
  setAutoDraftMinutes(minutes);
  return redirect("/admin/monitoring");
}

export default function MonitoringSettings() {
  const { minutes, checksRunning, rawDays, alertLabels } = useLoaderData<typeof loader>();
  const rejected = useActionData<typeof action>();
  return (
    <>
      <section className="card" aria-labelledby="auto-draft-heading">
        <h2 id="auto-draft-heading">Auto-draft</h2>
        <p>
          {minutes === null
            ? "Off: monitors never open incidents."
            : `On: a service down for ${minutes} minute${minutes === 1 ? "" : "s"} or more opens a draft incident (investigating) with the monitor's first entries in its timeline, unless an open incident already names the service.`}
        </p>
        <Form method="post" noValidate className="filters">
          <TextField
            name="autoDraftMinutes"
            label="Open a draft after a service is down for (minutes)"
            defaultValue={rejected?.values.autoDraftMinutes ?? (minutes === null ? "" : String(minutes))}
            error={rejected?.errors.autoDraftMinutes}
            hint="Blank turns auto-draft off"
            inputMode="decimal"
            idPrefix="settings"
          />
          <button type="submit" className="primary">
            Save
          </button>
          {minutes !== null ? (
            <button type="submit" name="intent" value="off">
              Turn off
            </button>
          ) : null}
        </Form>
      </section>
      <section className="card" aria-labelledby="monitoring-config-heading">
        <h2 id="monitoring-config-heading">Set in the environment</h2>
        <dl className="facts">
          <dt>Checks (MONITOR)</dt>
          <dd>{checksRunning ? "Running in this server process" : "Off (MONITOR=0): push heartbeats and alerts are still recorded"}</dd>
          <dt>Raw results kept (HEALTH_RAW_DAYS)</dt>
          <dd>{rawDays} days; minute rollups 30 days; hour and day rollups and state changes for ever</dd>
          <dt>Alert labels naming a service (ALERT_SERVICE_LABELS)</dt>
          <dd>{alertLabels.join(", ")}</dd>
        </dl>
      </section>
    </>
  );
}
