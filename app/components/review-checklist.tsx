import type { ReviewCheck } from "~/postmortem/review";

const RESULT_LABELS = { pass: "Pass", warn: "Check", fail: "Fix" } as const;

/** The review checklist: each check with its result and a one-line reason pointing at its section. */
export function ReviewChecklist({ checks, summary }: { checks: ReviewCheck[]; summary: { pass: number; warn: number; fail: number } }) {
  return (
    <section className="card" aria-labelledby="review-heading">
      <h2 id="review-heading">Review checklist</h2>
      <p className="hint">
        {summary.fail} to fix, {summary.warn} to check, {summary.pass} passed. The checklist looks at the document and the systems it
        describes, never at people.
      </p>
      <ul className="review">
        {checks.map((check) => (
          <li key={check.id} data-testid={`review-${check.id}`} data-result={check.result}>
            <span className={`badge review-${check.result}`}>{RESULT_LABELS[check.result]}</span> <strong>{check.title}</strong>
            <div className="hint">{check.reason}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
