import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { authorOf } from "~/auth/actor";
import { requireActor, requireEditor } from "~/auth/context.server";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { FormErrors } from "~/components/forms";
import { IncidentFields } from "~/components/incident-fields";
import { formValues } from "~/lib/http.server";
import { validateIncident } from "~/lib/validation";
import { incidentVocabulary, listCategoryNames } from "~/models/categories.server";
import { createIncident, lastUsedTimeZone } from "~/models/incidents.server";

export const meta: MetaFunction = () => [{ title: "New incident · Hindsight" }];

export async function loader({ context }: LoaderFunctionArgs) {
  requireEditor(context, "Only editors and admins can record incidents");
  return json({ defaults: { timeZone: lastUsedTimeZone() ?? "UTC", status: "investigating" }, categories: listCategoryNames() });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const author = authorOf(requireActor(context));
  const values = formValues(await request.formData());
  const result = validateIncident(values, incidentVocabulary());
  if (!result.ok) return json({ errors: result.errors, values }, { status: 400 });
  const incident = createIncident(result.data, author);
  return redirect(`/incidents/${incident.id}`);
}

export default function NewIncident() {
  const { defaults, categories } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <>
      <h1>New incident</h1>
      <Form method="post" className="card" noValidate>
        <FormErrors errors={actionData?.errors} />
        <IncidentFields values={actionData?.values ?? defaults} errors={actionData?.errors} categories={categories} withSummary />
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          Create incident
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary />;
}
