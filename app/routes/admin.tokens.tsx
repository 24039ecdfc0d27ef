import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";

import { requireActor, requireAdmin } from "~/auth/context.server";
import { FormErrors, SelectField, TextField } from "~/components/forms";
import { formValues } from "~/lib/http.server";
import { zodFieldErrors } from "~/lib/validation";
import { API_TOKEN_SCOPES } from "~/lib/roles";
import { formatInstant } from "~/lib/time";
import { createApiToken, listApiTokens, revokeApiToken } from "~/models/api-tokens.server";

export const meta: MetaFunction = () => [{ title: "API tokens · Hindsight" }];

const SCOPE_LABELS = {
  read: "read: GET any API route",
  write: "write: read, and create, change and delete",
  ingest: "ingest: send monitoring data only",
};

export async function loader({ context }: LoaderFunctionArgs) {
  requireAdmin(context);
  return json({
    tokens: listApiTokens().map((token) => ({
      id: token.id,
      name: token.name,
      prefix: token.prefix,
      scope: token.scope,
      createdBy: token.createdByName,
      created: formatInstant(token.createdAt, "UTC"),
      lastUsed: token.lastUsedAt ? formatInstant(token.lastUsedAt, "UTC") : "never",
      revoked: token.revokedAt ? formatInstant(token.revokedAt, "UTC") : null,
    })),
  });
}

/** Built when a form arrives, not at import: zod then stays out of the browser bundle. */
function intentSchema() {
  return z.discriminatedUnion("intent", [
    z.object({
      intent: z.literal("create-token"),
      name: z.string().trim().min(1, "Name the token after what uses it").max(100),
      scope: z.enum(API_TOKEN_SCOPES, { error: `Scope must be one of ${API_TOKEN_SCOPES.join(", ")}` }),
    }),
    z.object({ intent: z.literal("revoke-token"), tokenId: z.coerce.number().int() }),
  ]);
}

type Result = { errors?: Record<string, string>; values?: Record<string, string>; token?: { name: string; value: string } };

export async function action({ request, context }: ActionFunctionArgs) {
  requireAdmin(context);
  const actor = requireActor(context);
  const values = formValues(await request.formData());
  const parsed = intentSchema().safeParse(values);
  if (!parsed.success) {
    const errors = zodFieldErrors(parsed.error);
    return json<Result>({ errors, values }, { status: 400 });
  }
  if (parsed.data.intent === "revoke-token") {
    if (!revokeApiToken(parsed.data.tokenId)) throw new Response("Token not found or already revoked", { status: 404 });
    return json<Result>({});
  }
  const { token } = createApiToken({ name: parsed.data.name, scope: parsed.data.scope, createdBy: actor.kind === "user" ? actor.userId : null });
  return json<Result>({ token: { name: parsed.data.name, value: token } });
}

export default function AdminTokens() {
  const { tokens } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  return (
    <>
      {result?.token ? (
        <p className="notice" role="status">
          Token “{result.token.name}” created. Copy it now: it is stored only as a hash and will not be shown again.
          <br />
          <code data-testid="new-token">{result.token.value}</code>
        </p>
      ) : null}
      <table>
        <caption className="sr-only">API tokens</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Scope</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((token) => (
            <tr key={token.id}>
              <td>
                {token.name}
                <div className="hint">
                  <code>{token.prefix}…</code>
                </div>
              </td>
              <td>{token.scope}</td>
              <td>
                {token.created}
                {token.createdBy ? <div className="hint">by {token.createdBy}</div> : null}
              </td>
              <td>{token.lastUsed}</td>
              <td>
                {token.revoked ? (
                  `Revoked ${token.revoked}`
                ) : (
                  <Form method="post">
                    <input type="hidden" name="tokenId" value={token.id} />
                    <button type="submit" name="intent" value="revoke-token" className="danger">
                      Revoke
                    </button>
                  </Form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section className="card" aria-labelledby="create-token-heading">
        <h2 id="create-token-heading">Create a token</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="create-token" />
          <FormErrors errors={result?.errors} />
          <div className="field-row">
            <TextField name="name" label="Name" required defaultValue={result?.values?.name} error={result?.errors?.name} />
            <SelectField
              name="scope"
              label="Scope"
              options={API_TOKEN_SCOPES.map((value) => ({ value, label: SCOPE_LABELS[value] }))}
              defaultValue={result?.values?.scope ?? "read"}
              error={result?.errors?.scope}
            />
          </div>
          <button type="submit" className="primary">
            Create token
          </button>
        </Form>
      </section>
    </>
  );
}
