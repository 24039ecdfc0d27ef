import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireAdmin } from "~/auth/context.server";

import { FormErrors, TextField } from "~/components/forms";
import { formValues } from "~/lib/http.server";
import { zodFieldErrors } from "~/lib/validation";
import { addCategory, deleteCategory, listCategories } from "~/models/categories.server";

export const meta: MetaFunction = () => [{ title: "Cause categories · Hindsight" }];

export async function loader({ context }: LoaderFunctionArgs) {
  requireAdmin(context);
  return json({ categories: listCategories() });
}

/** Built when a form arrives, not at import: zod then stays out of the browser bundle. */
function intentSchema() {
  return z.discriminatedUnion("intent", [
    // The name is checked by the model (length, one line, new ignoring case).
    z.object({ intent: z.literal("add-category"), name: z.string() }),
    z.object({ intent: z.literal("delete-category"), categoryId: z.coerce.number().int() }),
  ]);
}

type Result = {
  errors?: Record<string, string>;
  values?: Record<string, string>;
  /** A refused delete, shown beside that category. */
  refused?: { categoryId: number; message: string };
  notice?: string;
};

export async function action({ request, context }: ActionFunctionArgs) {
  requireAdmin(context);
  const values = formValues(await request.formData());
  const parsed = intentSchema().safeParse(values);
  if (!parsed.success) return json<Result>({ errors: zodFieldErrors(parsed.error), values }, { status: 400 });
  if (parsed.data.intent === "add-category") {
    const result = addCategory(parsed.data.name);
    if (!result.ok) return json<Result>({ errors: result.errors, values }, { status: 400 });
    return json<Result>({ notice: `Added "${result.category.name}".` });
  }
  const { categoryId } = parsed.data;
  const result = deleteCategory(categoryId);
  if (result.ok) return json<Result>({ notice: "Category deleted." });
  if (result.reason === "not_found") throw new Response("Category not found", { status: 404 });
  return json<Result>({ refused: { categoryId, message: result.message } }, { status: 409 });
}

export default function AdminCategories() {
  const { categories } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  return (
    <>
      <p className="hint">
        Each incident may name one cause category. The built-in ones stay; one you added can be deleted while no incident uses it.
      </p>
      {result?.notice ? (
        <p className="notice" role="status">
          {result.notice}
        </p>
      ) : null}
      <table>
        <caption className="sr-only">Cause categories</caption>
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col">Incidents</th>
            <th scope="col">
              <span className="sr-only">Delete</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {categories.map((category) => {
            const refusal = result?.refused?.categoryId === category.id ? result.refused.message : null;
            return (
              <tr key={category.id}>
                <td>
                  {category.name}
                  {category.builtIn ? <div className="hint">built in</div> : null}
                </td>
                <td>
                  {category.incidents > 0 ? (
                    <Link to={`/incidents?${new URLSearchParams({ category: category.name })}`}>{category.incidents}</Link>
                  ) : (
                    0
                  )}
                </td>
                <td>
                  {category.builtIn ? null : (
                    <Form method="post">
                      <input type="hidden" name="categoryId" value={category.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="delete-category"
                        className="danger"
                        aria-describedby={refusal ? `category-${category.id}-error` : undefined}
                      >
                        Delete <span className="sr-only">{category.name}</span>
                      </button>
                      {refusal ? (
                        <small className="field-error" id={`category-${category.id}-error`} role="alert">
                          {refusal}
                        </small>
                      ) : null}
                    </Form>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <section className="card" aria-labelledby="add-category-heading">
        <h2 id="add-category-heading">Add a category</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="add-category" />
          <FormErrors errors={result?.errors} />
          <TextField
            name="name"
            label="Name"
            required
            hint="Up to 60 characters, e.g. third-party outage"
            defaultValue={result?.values?.name}
            error={result?.errors?.name}
          />
          <button type="submit" className="primary">
            Add category
          </button>
        </Form>
      </section>
    </>
  );
}
