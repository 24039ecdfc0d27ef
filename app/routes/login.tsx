import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";

import { isSecureRequest, sessionCookieHeader } from "~/auth/cookie.server";
import { verifyPassword } from "~/auth/password.server";
import { TextField } from "~/components/forms";
import { formValues } from "~/lib/http.server";
import { zodFieldErrors } from "~/lib/validation";
import { safeRedirect } from "~/lib/safe-redirect";
import { clearLoginFailures, loginBlockedUntil, recordLoginFailure } from "~/models/login-throttle.server";
import { createSession } from "~/models/sessions.server";
import { countUsers, findUserForLogin } from "~/models/users.server";

export const meta: MetaFunction = () => [{ title: "Log in · Hindsight" }];

/** A throttled attempt's Retry-After reaches the response even when the page is rendered. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (countUsers() === 0) throw redirect("/setup");
  if (context.actor?.kind === "user") throw redirect(redirectTo);
  return json({ redirectTo });
}

/** Built when a form arrives, not at import: zod then stays out of the browser bundle. */
function loginSchema() {
  return z.object({
    email: z.string().trim().min(1, "Enter your email").max(200),
    password: z.string().min(1, "Enter your password").max(1_000),
    redirectTo: z.string().optional(),
  });
}

/** Same words whether the email is unknown or the password wrong: no one learns who has an account. */
const BAD_LOGIN = "Email or password is not right";

export async function action({ request, context }: ActionFunctionArgs) {
  const values = formValues(await request.formData());
  const parsed = loginSchema().safeParse(values);
  const keep = { email: values.email ?? "" };
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error);
    return json({ errors, values: keep }, { status: 400 });
  }
  const { email, password } = parsed.data;
  const address = context.address ?? "unknown";
  const now = Date.now();
  const blockedUntil = loginBlockedUntil(email, address, now);
  if (blockedUntil) {
    const minutes = Math.max(1, Math.ceil((blockedUntil - now) / 60_000));
    return json(
      { errors: { form: `Too many failed attempts. Try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.` }, values: keep },
      { status: 429, headers: { "Retry-After": String(Math.ceil((blockedUntil - now) / 1000)) } },
    );
  }
  const user = findUserForLogin(email);
  const valid = user ? await verifyPassword(password, user.passwordHash) : false;
  if (!user || !valid || user.deactivatedAt !== null) {
    recordLoginFailure(email, address, now);
    const message = user && valid ? "This account is deactivated. Ask an admin." : BAD_LOGIN;
    return json({ errors: { form: message }, values: keep }, { status: 401 });
  }
  clearLoginFailures(email, address);
  const sessionId = createSession(user.id, { userAgent: request.headers.get("user-agent"), address });
  return redirect(safeRedirect(parsed.data.redirectTo), {
    headers: { "Set-Cookie": await sessionCookieHeader(sessionId, isSecureRequest(request)) },
  });
}

export default function Login() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Record<string, string> = actionData?.errors ?? {};
  return (
    <section className="card narrow">
      <h1>Log in to Hindsight</h1>
      <Form method="post" noValidate>
        {errors.form ? (
          <p className="form-errors" role="alert">
            {errors.form}
          </p>
        ) : null}
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField name="email" label="Email" type="email" required defaultValue={actionData?.values.email} error={errors.email} />
        <TextField name="password" label="Password" type="password" required error={errors.password} />
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          Log in
        </button>
      </Form>
    </section>
  );
}
