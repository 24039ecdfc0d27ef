import { FormErrors } from "./forms";

type Conflict = { message: string; version: number; theirs: string };
type Rejected = { errors: Record<string, string>; conflict?: Conflict } | null | undefined;

export function conflictOf(rejected: Rejected): Conflict | undefined {
  return rejected?.conflict;
}

/** Someone saved first: their version beside the message; the form below still holds yours. */
export function ConflictOrErrors({ rejected }: { rejected: Rejected }) {
  const conflict = conflictOf(rejected);
  if (!conflict) return <FormErrors errors={rejected?.errors} />;
  return (
    <div className="conflict" role="alert">
      <p>
        <strong>{conflict.message}</strong>
      </p>
      <p className="hint">Their version (saved):</p>
      <pre className="version-text" data-testid="their-version">
        {conflict.theirs}
      </pre>
    </div>
  );
}
