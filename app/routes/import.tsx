import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";

import { authorOf } from "~/auth/actor";
import { requireActor, requireEditor } from "~/auth/context.server";
import { RouteErrorBoundary } from "~/components/error-boundary";
import { COMMON_ZONES } from "~/lib/incident-form";
import { formatInstant, normalizeTimeZone } from "~/lib/time";
import { listCategoryNames } from "~/models/categories.server";
import { lastUsedTimeZone } from "~/models/incidents.server";
import { saveImported } from "~/models/import.server";
import { parsePostmortem } from "~/postmortem/import/parse";
import { impactText } from "~/lib/impact";

export const meta: MetaFunction = () => [{ title: "Import postmortems · Hindsight" }];

const MAX_DOCUMENTS = 50;

export async function loader({ context }: LoaderFunctionArgs) {
  requireEditor(context, "Only editors and admins can import postmortems");
  return json({ zone: lastUsedTimeZone() ?? "UTC" });
}

type Document = { name: string; markdown: string };

async function documentsOf(formData: FormData): Promise<Document[]> {
  const documents: Document[] = [];
  const pasted = formData.getAll("markdown");
  const names = formData.getAll("name");
  pasted.forEach((value, index) => {
    if (typeof value === "string" && value.trim()) documents.push({ name: String(names[index] ?? "") || "Pasted document", markdown: value });
  });
  for (const file of formData.getAll("files")) {
    if (typeof file !== "string" && file.size > 0) documents.push({ name: file.name, markdown: await file.text() });
  }
  return documents.slice(0, MAX_DOCUMENTS);
}

function preview(document: Document, zone: string) {
  const parsed = parsePostmortem(document.markdown, { defaultZone: zone, categories: listCategoryNames() });
  const { incident } = parsed;
  const at = (ms: number | null) => (ms === null ? "unknown" : formatInstant(ms, incident.timeZone));
  return {
    name: document.name,
    markdown: document.markdown,
    title: incident.title,
    start: at(incident.startedAt),
    end: at(incident.resolvedAt),
    zone: incident.timeZone,
    impact: impactText(incident.impactPercent, null, "not stated"),
    entries: parsed.timeline.map((entry) => ({ at: formatInstant(entry.occurredAt, incident.timeZone), kind: entry.kind, text: entry.text })),
    rootCause: incident.rootCause,
    resolution: incident.resolution,
    actions: parsed.actions.map((action) => `${action.title} (owner: ${action.owner ?? "none"}; due: ${action.dueDate ?? "none"}; ${action.type})`),
    warnings: parsed.warnings.map((warning) => warning.message),
    unplaced: parsed.unplaced,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const author = authorOf(requireActor(context));
  const formData = await request.formData();
  const zoneText = String(formData.get("zone") ?? "UTC");
  const zone = normalizeTimeZone(zoneText);
  const documents = await documentsOf(formData);
  const errors: Record<string, string> = {};
  if (!zone) errors.zone = `Unknown time zone "${zoneText}": use an IANA name such as Europe/Berlin or an offset such as GMT+3`;
  if (documents.length === 0) errors.markdown = "Paste a postmortem or choose .md files";
  if (!zone || documents.length === 0) return json({ errors, zone: zoneText, previews: [] }, { status: 400 });

  if (formData.get("intent") === "save") {
    const saved: number[] = [];
    for (const document of documents) {
      const result = saveImported(parsePostmortem(document.markdown, { defaultZone: zone, categories: listCategoryNames() }), author);
      if (!result.ok) {
        const message = Object.entries(result.errors).map(([field, text]) => `${field}: ${text}`).join("; ");
        const errors: Record<string, string> = { markdown: `${document.name} was not saved: ${message}` };
        return json({ errors, zone, previews: documents.map((doc) => preview(doc, zone)) }, { status: 400 });
      }
      saved.push(result.incident.id);
    }
    return redirect(saved.length === 1 ? `/incidents/${saved[0]}` : "/incidents");
  }
  return json({ errors, zone, previews: documents.map((document) => preview(document, zone)) });
}

export default function Import() {
  const { zone } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { errors: Record<string, string>; zone: string; previews: ReturnType<typeof preview>[] } | undefined;
  const navigation = useNavigation();
  const previews = result?.previews ?? [];
  return (
    <>
      <h1>Import postmortems</h1>
      <p className="hint">
        Paste a Markdown postmortem or choose .md files. You will see what was read before anything is saved; correct the text and
        read it again until it is right.
      </p>
      {previews.length === 0 ? (
        <Form method="post" encType="multipart/form-data" className="card" noValidate>
          {result?.errors.markdown ? <p className="form-errors" role="alert">{result.errors.markdown}</p> : null}
          <div className="field">
            <label htmlFor="markdown">Postmortem (Markdown)</label>
            <textarea id="markdown" name="markdown" rows={14} />
          </div>
          <div className="field">
            <label htmlFor="files">Or .md files</label>
            <input id="files" name="files" type="file" accept=".md,.markdown,text/markdown,text/plain" multiple />
          </div>
          <ZoneField zone={result?.zone ?? zone} error={result?.errors.zone} />
          <button type="submit" name="intent" value="preview" className="primary" disabled={navigation.state === "submitting"}>
            Read it
          </button>
        </Form>
      ) : (
        <Form method="post" noValidate>
          {result?.errors.markdown ? <p className="form-errors" role="alert">{result.errors.markdown}</p> : null}
          <ZoneField zone={result?.zone ?? zone} error={result?.errors.zone} />
          {previews.map((doc, index) => (
            <section key={index} className="card" aria-label={`Preview of ${doc.name}`} data-testid="import-preview">
              <h2>{doc.title}</h2>
              <p className="hint">{doc.name}</p>
              {doc.warnings.length ? (
                <ul className="notice" aria-label="Warnings">
                  {doc.warnings.map((warning) => (
                    <li key={warning}>{warning}</li>
                  ))}
                </ul>
              ) : null}
              <dl className="facts">
                <dt>Start</dt>
                <dd>{doc.start}</dd>
                <dt>End</dt>
                <dd>{doc.end}</dd>
                <dt>Time zone</dt>
                <dd>{doc.zone}</dd>
                <dt>Impact</dt>
                <dd>{doc.impact}</dd>
                <dt>Root cause</dt>
                <dd>{doc.rootCause || "not found"}</dd>
                <dt>Resolution</dt>
                <dd>{doc.resolution || "not found"}</dd>
              </dl>
              <h3>Timeline ({doc.entries.length})</h3>
              <ol className="timeline">
                {doc.entries.map((entry, entryIndex) => (
                  <li key={entryIndex}>
                    <div className="when">
                      <strong>{entry.at}</strong>
                      <div>
                        <span className="badge">{entry.kind}</span>
                      </div>
                    </div>
                    <div>{entry.text}</div>
                  </li>
                ))}
              </ol>
              <h3>Corrective actions ({doc.actions.length})</h3>
              <ul>
                {doc.actions.map((text, actionIndex) => (
                  <li key={actionIndex}>{text}</li>
                ))}
              </ul>
              {doc.unplaced ? (
                <>
                  <h3>Unplaced notes</h3>
                  <pre className="version-text">{doc.unplaced}</pre>
                </>
              ) : null}
              <details className="edit">
                <summary>Correct the document</summary>
                <input type="hidden" name="name" value={doc.name} />
                <div className="field">
                  <label htmlFor={`markdown-${index}`}>Markdown of {doc.name}</label>
                  <textarea id={`markdown-${index}`} name="markdown" rows={14} defaultValue={doc.markdown} />
                </div>
              </details>
            </section>
          ))}
          <div className="row-actions">
            <button type="submit" name="intent" value="preview">
              Read again
            </button>
            <button type="submit" name="intent" value="save" className="primary" disabled={navigation.state === "submitting"}>
              Save {previews.length === 1 ? "as an incident" : `${previews.length} incidents`}
            </button>
          </div>
        </Form>
      )}
    </>
  );
}

function ZoneField({ zone, error }: { zone: string; error?: string }) {
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor="zone">Time zone for documents that name none</label>
      <input id="zone" name="zone" defaultValue={zone} list="import-zones" aria-invalid={error ? true : undefined} aria-describedby={error ? "zone-error" : undefined} />
      <datalist id="import-zones">
        {COMMON_ZONES.map((name) => (
          <option key={name} value={name} />
        ))}
      </datalist>
      {error ? (
        <small className="field-error" id="zone-error" role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <RouteErrorBoundary what="import page" />;
}
