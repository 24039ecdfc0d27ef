import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { requireEditor } from "~/auth/context.server";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors, TextAreaField, TextField } from "~/components/forms";
import { MonitorFields, monitorFormValues } from "~/components/health/monitor-fields";
import { ServiceDetail } from "~/components/health/service-detail";
import { EditorsOnly } from "~/components/user";
import { LATENCY_RANGES, servicePage, type LatencyRange } from "~/health/pages.server";
import { formVersion } from "~/lib/conflict";
import { formValues, notFound, requireId } from "~/lib/http.server";
import { validateMonitor, validateService } from "~/lib/monitor-validation";
import { utcDayRange } from "~/lib/time";
import { createMonitor, deleteMonitor, deleteService, getMonitor, getService, regeneratePushToken, updateMonitor, updateService } from "~/models/services.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.page.name ?? "Service"} · Hindsight` }];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const rangeParam = url.searchParams.get("range") ?? "24h";
  const range = (rangeParam in LATENCY_RANGES ? rangeParam : "24h") as LatencyRange;
  const untilParam = url.searchParams.get("until");
  // ?until=2024-06-10 shows the 90 days up to the end of that day (UTC).
  const untilRange = untilParam ? utcDayRange(untilParam) : null;
  const untilDay = untilRange ? untilParam!.trim() : null;
  const until = untilRange ? untilRange.end - 1 : undefined;
  const page = servicePage(requireId(params.id), { range, until });
  if (!page) throw notFound("No such service");
  return json({ page, untilParam: untilDay, version: page.version });
}

function intentSchema() {
  return z.discriminatedUnion("intent", [
    z.object({ intent: z.literal("update-service") }),
    z.object({ intent: z.literal("delete-service") }),
    z.object({ intent: z.literal("add-monitor") }),
    z.object({ intent: z.literal("update-monitor"), monitorId: z.coerce.number().int() }),
    z.object({ intent: z.literal("delete-monitor"), monitorId: z.coerce.number().int() }),
    z.object({ intent: z.literal("new-push-token"), monitorId: z.coerce.number().int() }),
  ]);
}

type Rejection = { intent: string; monitorId?: number; errors: Record<string, string>; values: Record<string, string>; pushToken?: undefined };
type Outcome = Rejection | { intent: string; monitorId: number; pushToken: string; errors?: undefined; values?: undefined };

export async function action({ request, params, context }: ActionFunctionArgs) {
  requireEditor(context, "Viewers cannot change services or monitors");
  const id = requireId(params.id);
  const values = formValues(await request.formData());
  if (!getService(id)) throw notFound("No such service");
  const intent = intentSchema().safeParse(values);
  if (!intent.success) return json<Outcome>({ intent: "unknown", errors: { form: "Unknown request" }, values }, { status: 400 });
  const data = intent.data;
  const reject = (errors: Record<string, string>, status = 400, monitorId?: number) => json<Outcome>({ intent: data.intent, monitorId, errors, values }, { status });

  switch (data.intent) {
    case "update-service": {
      const result = validateService(values);
      if (!result.ok) return reject(result.errors);
      const saved = updateService(id, result.data, formVersion(values));
      if (saved.ok) return redirect(`/services/${id}`);
      if (saved.reason === "conflict") return reject({ form: "Not saved: someone changed this service after you opened it. Reload to see their version." }, 409);
      return reject(saved.reason === "invalid" ? saved.errors : { form: "Not saved" });
    }
    case "delete-service": {
      const deleted = deleteService(id);
      if (deleted.ok) return redirect("/services");
      if (deleted.reason === "in_use") {
        return reject({ form: `Not deleted: ${deleted.incidents === 1 ? "an incident names" : `${deleted.incidents} incidents name`} this service. Remove it from them first; its health history is their evidence.` }, 409);
      }
      throw notFound("No such service");
    }
    case "add-monitor": {
      const result = validateMonitor({ ...values, serviceId: id });
      if (!result.ok) return reject(result.errors);
      const saved = createMonitor(result.data);
      if (!saved.ok) return reject(saved.reason === "invalid" ? saved.errors : { form: "Not saved" });
      if (saved.pushToken) return json<Outcome>({ intent: data.intent, monitorId: saved.record.id, pushToken: saved.pushToken });
      return redirect(`/services/${id}#monitor-${saved.record.id}`);
    }
    case "update-monitor": {
      const monitor = getMonitor(data.monitorId);
      if (!monitor || monitor.serviceId !== id) throw notFound("No such monitor");
      const result = validateMonitor({ ...values, serviceId: id });
      if (!result.ok) return reject(result.errors, 400, monitor.id);
      const saved = updateMonitor(monitor.id, result.data, formVersion(values));
      if (!saved.ok) {
        if (saved.reason === "conflict") return reject({ form: "Not saved: someone changed this monitor after you opened it. Reload to see their version." }, 409, monitor.id);
        return reject(saved.reason === "invalid" ? saved.errors : { form: "Not saved" }, 400, monitor.id);
      }
      if (saved.pushToken) return json<Outcome>({ intent: data.intent, monitorId: monitor.id, pushToken: saved.pushToken });
      return redirect(`/services/${id}#monitor-${monitor.id}`);
    }
    case "delete-monitor": {
      const monitor = getMonitor(data.monitorId);
      if (!monitor || monitor.serviceId !== id) throw notFound("No such monitor");
      deleteMonitor(monitor.id);
      return redirect(`/services/${id}`);
    }
    case "new-push-token": {
      const monitor = getMonitor(data.monitorId);
      if (!monitor || monitor.serviceId !== id) throw notFound("No such monitor");
      const token = regeneratePushToken(monitor.id);
      if (!token) return reject({ form: "Only push monitors have a token" }, 400, monitor.id);
      return json<Outcome>({ intent: data.intent, monitorId: monitor.id, pushToken: token });
    }
  }
}

function PushToken({ token }: { token: string }) {
  return (
    <div className="notice" role="status">
      <p>
        <strong>The push URL, shown this once:</strong>
      </p>
      <pre className="version-text" data-testid="push-url">{`curl -X POST "${typeof window === "undefined" ? "" : window.location.origin}/api/push/${token}?status=up&msg=OK&latencyMs=42"`}</pre>
      <p className="hint">Call it from the monitored system at least once per interval. Only a hash of the token is stored.</p>
    </div>
  );
}

export default function ServicePage() {
  const { page, untilParam } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>() as Outcome | undefined;
  const rejectedFor = (intent: string, monitorId?: number) => (outcome && outcome.errors && outcome.intent === intent && outcome.monitorId === monitorId ? outcome : null);
  const serviceRejected = rejectedFor("update-service") ?? rejectedFor("delete-service");
  const addRejected = rejectedFor("add-monitor");
  const rangeHref = (range: string) => `?range=${range}${untilParam ? `&until=${untilParam}` : ""}`;
  return (
    <>
      <p className="hint">
        <Link to="/services">Services</Link> ›
      </p>
      <h1>
        {page.name} {page.example ? <span className="badge example">Example data</span> : null}
      </h1>
      {page.description ? <p>{page.description}</p> : null}
      {untilParam ? (
        <p className="notice">
          Showing the 90 days up to {untilParam} (UTC). <Link to={`/services/${page.id}`}>Back to now</Link>
        </p>
      ) : null}
      <ServiceDetail
        page={page}
        rangeHref={rangeHref}
        monitorControls={(monitorId) => {
          const monitor = page.monitors.find((m) => m.id === monitorId)!;
          const rejected = rejectedFor("update-monitor", monitorId) ?? rejectedFor("delete-monitor", monitorId) ?? rejectedFor("new-push-token", monitorId);
          return (
            <>
              {outcome?.pushToken && outcome.monitorId === monitorId ? <PushToken token={outcome.pushToken} /> : null}
              <EditorsOnly>
                <details className="edit" open={Boolean(rejected)}>
                  <summary>Edit monitor</summary>
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="update-monitor" />
                    <input type="hidden" name="monitorId" value={monitorId} />
                    <input type="hidden" name="version" value={(monitor as { version?: number }).version ?? ""} />
                    <FormErrors errors={rejected?.errors} />
                    {rejected?.errors.form ? <p className="field-error">{rejected.errors.form}</p> : null}
                    <MonitorFields idPrefix={`monitor-${monitorId}`} values={rejected ? rejected.values : monitorFormValues(monitor)} errors={rejected?.errors} />
                    <button type="submit" className="primary">
                      Save monitor
                    </button>
                  </Form>
                  <div className="row-actions">
                    {monitor.type === "push" ? (
                      <Form method="post">
                        <input type="hidden" name="monitorId" value={monitorId} />
                        <button type="submit" name="intent" value="new-push-token">
                          New push token
                        </button>
                      </Form>
                    ) : null}
                    <Form method="post">
                      <input type="hidden" name="monitorId" value={monitorId} />
                      <button type="submit" name="intent" value="delete-monitor" className="danger">
                        Delete monitor and its history
                      </button>
                    </Form>
                  </div>
                </details>
              </EditorsOnly>
            </>
          );
        }}
      />
      <EditorsOnly>
        <section className="card" aria-labelledby="add-monitor-heading">
          <h2 id="add-monitor-heading">Add a monitor</h2>
          {outcome?.pushToken && outcome.intent === "add-monitor" ? <PushToken token={outcome.pushToken} /> : null}
          <details className="edit" open={Boolean(addRejected)}>
            <summary>New monitor for {page.name}</summary>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="add-monitor" />
              <FormErrors errors={addRejected?.errors} />
              <MonitorFields idPrefix="new-monitor" values={addRejected ? addRejected.values : { intervalSeconds: "60", retries: "2", timeoutMs: "10000", acceptedStatus: "200-299", method: "GET", graceSeconds: "60" }} errors={addRejected?.errors} />
              <button type="submit" className="primary">
                Add monitor
              </button>
            </Form>
          </details>
        </section>
        <section className="card" aria-labelledby="edit-service-heading">
          <h2 id="edit-service-heading">Service</h2>
          {serviceRejected?.errors.form ? (
            <p className="field-error" role="alert">
              {serviceRejected.errors.form}
            </p>
          ) : null}
          <details className="edit" open={Boolean(serviceRejected && !serviceRejected.errors.form)}>
            <summary>Edit name and description</summary>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="update-service" />
              <input type="hidden" name="version" value={page.version} />
              <FormErrors errors={serviceRejected?.errors} />
              <TextField name="name" label="Name" defaultValue={serviceRejected?.values.name ?? page.name} error={serviceRejected?.errors.name} idPrefix="service" />
              <TextAreaField name="description" label="Description" rows={2} defaultValue={serviceRejected?.values.description ?? page.description} error={serviceRejected?.errors.description} idPrefix="service" />
              <button type="submit" className="primary">
                Save service
              </button>
            </Form>
          </details>
          <details className="edit danger">
            <summary>Delete this service…</summary>
            <Form method="post">
              <p>Deletes the service, its monitors and all their health history. Services that incidents name cannot be deleted.</p>
              <button type="submit" name="intent" value="delete-service" className="danger">
                Delete service
              </button>
            </Form>
          </details>
        </section>
      </EditorsOnly>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="service" />;
}
