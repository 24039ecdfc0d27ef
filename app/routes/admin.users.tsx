import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { requireActor, requireAdmin } from "~/auth/context.server";
import { generatePassword, MIN_PASSWORD_LENGTH } from "~/auth/password.server";
import { FormErrors, SelectField, TextField } from "~/components/forms";
import { formValues } from "~/lib/http.server";
import { zodFieldErrors } from "~/lib/validation";
import { ROLES, ROLE_LABELS } from "~/lib/roles";
import { formatInstant } from "~/lib/time";
import { countActiveAdmins, createUser, DuplicateEmailError, getUser, listUsers, setUserActive, setUserRole } from "~/models/users.server";

export const meta: MetaFunction = () => [{ title: "Users · Hindsight" }];

export async function loader({ context }: LoaderFunctionArgs) {
  requireAdmin(context);
  return json({
    users: listUsers().map((user) => ({
      id: user.id,
      name: user.name,
      email: user.email,
      role: user.role,
      active: user.deactivatedAt === null,
      since: formatInstant(user.createdAt, "UTC"),
    })),
  });
}

/** Built when a form arrives, not at import: zod then stays out of the browser bundle. */
function intentSchema() {
  return z.discriminatedUnion("intent", [
    z.object({
      intent: z.literal("add-user"),
      name: z.string().trim().min(1, "Enter a name").max(100),
      email: z.string().trim().email("Enter an email such as ana@example.com").max(200),
      role: z.enum(ROLES, { error: `Role must be one of ${ROLES.join(", ")}` }),
      password: z.union([z.literal(""), z.string().min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters, or leave empty to generate one`).max(1_000)]),
    }),
    z.object({ intent: z.literal("set-role"), userId: z.coerce.number().int(), role: z.enum(ROLES) }),
    z.object({ intent: z.literal("set-active"), userId: z.coerce.number().int(), active: z.enum(["true", "false"]) }),
  ]);
}

type Result = { errors?: Record<string, string>; values?: Record<string, string>; created?: { email: string; password: string | null }; notice?: string };

export async function action({ request, context }: ActionFunctionArgs) {
  requireAdmin(context);
  const actor = requireActor(context);
  const values = formValues(await request.formData());
  const parsed = intentSchema().safeParse(values);
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error);
    return json<Result>({ errors, values: { ...values, password: "" } }, { status: 400 });
  }
  const data = parsed.data;
  if (data.intent === "add-user") {
    const password = data.password || generatePassword();
    try {
      await createUser({ name: data.name, email: data.email, role: data.role, password });
    } catch (error) {
      if (error instanceof DuplicateEmailError) return json<Result>({ errors: { email: error.message }, values: { ...values, password: "" } }, { status: 400 });
      throw error;
    }
    return json<Result>({ created: { email: data.email, password: data.password ? null : password } });
  }
  const target = getUser(data.userId);
  if (!target) throw new Response("User not found", { status: 404 });
  const self = actor.kind === "user" && actor.userId === target.id;
  const losesAdmin = target.role === "admin" && target.deactivatedAt === null && (data.intent === "set-role" ? data.role !== "admin" : data.active === "false");
  if (losesAdmin && countActiveAdmins() <= 1) {
    return json<Result>({ errors: { form: "Hindsight needs at least one active admin: make someone else admin first." } }, { status: 400 });
  }
  if (data.intent === "set-role") setUserRole(target.id, data.role);
  else setUserActive(target.id, data.active === "true");
  return json<Result>({ notice: `${target.name}${self ? " (you)" : ""} updated.` });
}

export default function AdminUsers() {
  const { users } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const addErrors = result?.values?.intent === "add-user" ? result.errors : undefined;
  return (
    <>
      {result?.notice ? <p className="notice" role="status">{result.notice}</p> : null}
      {result?.errors?.form ? <p className="form-errors" role="alert">{result.errors.form}</p> : null}
      <table>
        <caption className="sr-only">Users</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} data-testid="user-row">
              <td>{user.name}</td>
              <td>{user.email}</td>
              <td>
                <Form method="post" className="row-actions">
                  <input type="hidden" name="intent" value="set-role" />
                  <input type="hidden" name="userId" value={user.id} />
                  <label className="sr-only" htmlFor={`role-${user.id}`}>
                    Role of {user.name}
                  </label>
                  <select id={`role-${user.id}`} name="role" defaultValue={user.role}>
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                  <button type="submit">Change role</button>
                </Form>
              </td>
              <td>
                <Form method="post" className="row-actions">
                  <input type="hidden" name="intent" value="set-active" />
                  <input type="hidden" name="userId" value={user.id} />
                  <span>{user.active ? "Active" : "Deactivated"}</span>
                  <button type="submit" name="active" value={user.active ? "false" : "true"} className={user.active ? "danger" : undefined}>
                    {user.active ? "Deactivate" : "Reactivate"}
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <section className="card" aria-labelledby="add-user-heading">
        <h2 id="add-user-heading">Add a user</h2>
        {result?.created ? (
          <p className="notice" role="status">
            Added {result.created.email}.
            {result.created.password ? (
              <>
                {" "}Their password, shown only now: <code data-testid="generated-password">{result.created.password}</code>
              </>
            ) : null}
          </p>
        ) : null}
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="add-user" />
          <FormErrors errors={addErrors} />
          <div className="field-row">
            <TextField name="name" label="Name" required defaultValue={result?.values?.name} error={addErrors?.name} />
            <TextField name="email" label="Email" type="email" required defaultValue={result?.values?.email} error={addErrors?.email} />
            <SelectField
              name="role"
              label="Role"
              options={ROLES.map((value) => ({ value, label: ROLE_LABELS[value] }))}
              defaultValue={result?.values?.role ?? "editor"}
              error={addErrors?.role}
            />
          </div>
          <TextField name="password" label="Password (optional)" type="password" hint="Leave empty to generate one and show it once" error={addErrors?.password} />
          <button type="submit" className="primary">
            Add user
          </button>
        </Form>
      </section>
    </>
  );
}
