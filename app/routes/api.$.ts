import { json } from "@remix-run/node";

/** Unknown API paths answer JSON, not the HTML 404 page. */
export async function loader() {
  return json({ error: "No such API route" }, { status: 404 });
}

export async function action() {
  return json({ error: "No such API route" }, { status: 404 });
}
