import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";

import { isSecureRequest, sessionCookieHeader } from "~/auth/cookie.server";
import { MIN_PASSWORD_LENGTH } from "~/auth/password.server";
import { FormErrors, TextField } from "~/components/forms";
import { formValues } from "~/lib/http.server";
import { zodFieldErrors } from "~/lib/validation";
import { createSession } from "~/models/sessions.server";
import { countUsers, createFirstAdmin } from "~/models/users.server";

export const meta: MetaFunction = () => [{ title: "Set up Hindsight" }];

/** The first-run page exists only while there are no users, as in Grafana and Uptime Kuma. */
export async function loader() {
  if (countUsers() > 0) throw new Response("Not found", { status: 404 });
  return json({ minLength: MIN_PASSWORD_LENGTH });
}

/** Built when a form arrives, not at import: zod then stays out of the browser bundle. */
function setupSchema() {
  return z
    .object({
      name: z.string().trim().min(1, "Enter your name").max(100, "At most 100 characters"),
      email: z.string().trim().email("Enter an email such as ana@example.com").max(200),
      password: z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters`).max(1_000),
      confirm: z.string(),
    })
    .refine((values) => values.password === values.confirm, { path: ["confirm"], message: "The two passwords differ" });
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (countUsers() > 0) throw new Response("Not found", { status: 404 });
  const values = formValues(await request.formData());
  const keep = { name: values.name ?? "", email: values.email ?? "" };
  const parsed = setupSchema().safeParse(values);
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error);
    return json({ errors, values: keep }, { status: 400 });
  }
  const admin = await createFirstAdmin(parsed.data);
  if (!admin) throw new Response("Not found", { status: 404 });
  const sessionId = createSession(admin.id, { userAgent: request.headers.get("user-agent"), address: context.address });
  return redirect("/", { headers: { "Set-Cookie": await sessionCookieHeader(sessionId, isSecureRequest(request)) } });
}

export default function Setup() {
  const { minLength } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Record<string, string> = actionData?.errors ?? {};
  return (
    <section className="card narrow">
      <h1>Welcome to Hindsight</h1>
      <p>Create the first admin account. This page disappears once it exists; admins add everyone else.</p>
      <Form method="post" noValidate>
        <FormErrors errors={actionData?.errors} />
        <TextField name="name" label="Your name" required defaultValue={actionData?.values.name} error={errors.name} />
        <TextField name="email" label="Email" type="email" required defaultValue={actionData?.values.email} error={errors.email} />
        <TextField name="password" label="Password" type="password" required error={errors.password} hint={`At least ${minLength} characters`} />
        <TextField name="confirm" label="Password again" type="password" required error={errors.confirm} />
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          Create admin and log in
        </button>
      </Form>
    </section>
  );
}
