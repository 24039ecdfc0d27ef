import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";

import { requireEditor } from "~/auth/context.server";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors, TextAreaField, TextField } from "~/components/forms";
import { DayBar, StateBadge, formatUptime } from "~/components/health/charts";
import { EditorsOnly } from "~/components/user";
import { servicesOverview } from "~/health/pages.server";
import { formValues } from "~/lib/http.server";
import { validateService } from "~/lib/monitor-validation";
import { createService } from "~/models/services.server";

export const meta: MetaFunction = () => [{ title: "Services · Hindsight" }];

export async function loader() {
  return json({ services: servicesOverview() });
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireEditor(context, "Viewers cannot add services");
  const values = formValues(await request.formData());
  const result = validateService(values);
  if (!result.ok) return json({ errors: result.errors, values }, { status: 400 });
  const saved = createService(result.data);
  if (!saved.ok) return json({ errors: saved.reason === "invalid" ? saved.errors : { form: "Not saved" }, values }, { status: 400 });
  return redirect(`/services/${saved.record.id}`);
}

export default function Services() {
  const { services } = useLoaderData<typeof loader>();
  const rejected = useActionData<typeof action>();
  return (
    <>
      <h1>Services</h1>
      <p className="hint">What incidents affect and monitors watch. Uptime counts checks; days are UTC days, coloured by their worst state.</p>
      {services.length === 0 ? <p className="empty">No services yet. Add one below, or name one in an incident.</p> : null}
      <table className="services">
        <thead>
          <tr>
            <th scope="col">Service</th>
            <th scope="col">Now</th>
            <th scope="col">24 h</th>
            <th scope="col">30 d</th>
            <th scope="col">90 d</th>
            <th scope="col">Last 90 days</th>
          </tr>
        </thead>
        <tbody>
          {services.map((service) => (
            <tr key={service.id} data-testid="service-row">
              <th scope="row">
                <Link to={`/services/${service.id}`}>{service.name}</Link>
                {service.example ? <span className="badge example">Example data</span> : null}
                <div className="hint">
                  {service.monitors.length === 1 ? "1 monitor" : `${service.monitors.length} monitors`} · {service.incidentCount === 1 ? "1 incident" : `${service.incidentCount} incidents`}
                </div>
              </th>
              <td>
                <StateBadge state={service.state} />
              </td>
              <td>{formatUptime(service.uptime["24h"])}</td>
              <td>{formatUptime(service.uptime["30d"])}</td>
              <td>{formatUptime(service.uptime["90d"])}</td>
              <td className="bar-cell">
                <DayBar cells={service.bar} label={`${service.name}, last 90 days`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <EditorsOnly>
        <section className="card" aria-labelledby="new-service-heading">
          <h2 id="new-service-heading">Add a service</h2>
          <Form method="post" noValidate>
            <FormErrors errors={rejected?.errors} />
            <div className="field-row">
              <TextField name="name" label="Name" defaultValue={rejected?.values.name} error={rejected?.errors.name} idPrefix="new-service" />
            </div>
            <TextAreaField name="description" label="Description (optional)" rows={2} defaultValue={rejected?.values.description} error={rejected?.errors.description} idPrefix="new-service" />
            <button type="submit" className="primary">
              Add service
            </button>
          </Form>
        </section>
      </EditorsOnly>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="services" />;
}
