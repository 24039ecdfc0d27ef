import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

import { RouteErrorBoundary } from "~/components/error-boundary";
import { ReviewChecklist } from "~/components/review-checklist";
import { notFound, requireId } from "~/lib/http.server";
import { markdownToSafeHtml } from "~/lib/markdown.server";
import { postmortemMarkdown } from "~/models/postmortem.server";
import { reviewIncident } from "~/models/review.server";

export async function loader({ params }: LoaderFunctionArgs) {
  const id = requireId(params.id);
  const postmortem = postmortemMarkdown(id);
  if (!postmortem) throw notFound();
  return json({ id, html: markdownToSafeHtml(postmortem.markdown), markdown: postmortem.markdown, review: reviewIncident(id)! });
}

export default function PostmortemView() {
  const { id, html, markdown, review } = useLoaderData<typeof loader>();
  return (
    <>
      <ReviewChecklist checks={review.checks} summary={review.summary} />
      <article className="card markdown postmortem" data-testid="postmortem" dangerouslySetInnerHTML={{ __html: html }} />
      <details className="card">
        <summary>Markdown source</summary>
        <pre>{markdown}</pre>
      </details>
      <p>
        <a className="button" href={`/incidents/${id}/postmortem.md`} download>
          Download postmortem.md
        </a>
      </p>
    </>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="postmortem" />;
}
