import type { LoaderFunctionArgs } from "@remix-run/node";

import { notFound, requireId } from "~/lib/http.server";
import { postmortemMarkdown } from "~/models/postmortem.server";

function fileName(id: number, title: string): string {
  const slug = title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `incident-${id}${slug ? `-${slug}` : ""}.md`;
}

export async function loader({ params }: LoaderFunctionArgs) {
  const id = requireId(params.id);
  const postmortem = postmortemMarkdown(id);
  if (!postmortem) throw notFound();
  return new Response(postmortem.markdown, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="${fileName(id, postmortem.title)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
