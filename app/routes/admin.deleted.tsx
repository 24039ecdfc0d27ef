import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { authorOf } from "~/auth/actor";
import { requireActor, requireAdmin } from "~/auth/context.server";
import { formValues } from "~/lib/http.server";
import { formatInstant } from "~/lib/time";
import { listDeletedIncidents, restoreIncident } from "~/models/incidents.server";

export const meta: MetaFunction = () => [{ title: "Deleted incidents · Hindsight" }];

export async function loader({ context }: LoaderFunctionArgs) {
  requireAdmin(context);
  return json({
    incidents: listDeletedIncidents().map((incident) => ({
      id: incident.id,
      title: incident.title,
      deleted: formatInstant(incident.deletedAt!, incident.timeZone),
    })),
  });
}

/** Built when a form arrives, not at import: zod then stays out of the browser bundle. */
function restoreSchema() {
  return z.object({ intent: z.literal("restore-incident"), incidentId: z.coerce.number().int() });
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireAdmin(context);
  const author = authorOf(requireActor(context));
  const parsed = restoreSchema().safeParse(formValues(await request.formData()));
  if (!parsed.success) return json({ error: "Unknown request" }, { status: 400 });
  if (!restoreIncident(parsed.data.incidentId, author)) throw new Response("No such deleted incident", { status: 404 });
  return redirect(`/incidents/${parsed.data.incidentId}`);
}

export default function DeletedIncidents() {
  const { incidents } = useLoaderData<typeof loader>();
  if (incidents.length === 0) return <p className="empty">No deleted incidents.</p>;
  return (
    <table>
      <caption className="sr-only">Deleted incidents</caption>
      <thead>
        <tr>
          <th scope="col">Incident</th>
          <th scope="col">Deleted</th>
          <th scope="col" />
        </tr>
      </thead>
      <tbody>
        {incidents.map((incident) => (
          <tr key={incident.id}>
            <td>{incident.title}</td>
            <td>{incident.deleted}</td>
            <td>
              <Form method="post">
                <input type="hidden" name="incidentId" value={incident.id} />
                <button type="submit" name="intent" value="restore-incident">
                  Restore
                </button>
              </Form>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
