import type { ReactNode } from "react";

type Common = {
  name: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  defaultValue?: string | null;
  required?: boolean;
  /** Prefix for the element id, so one page can hold several forms with the same fields. */
  idPrefix?: string;
};

function ids(idPrefix: string | undefined, name: string) {
  const id = `${idPrefix ? `${idPrefix}-` : ""}${name}`;
  return { id, errorId: `${id}-error`, hintId: `${id}-hint` };
}

function describedBy(error: string | undefined, hint: ReactNode, errorId: string, hintId: string) {
  return [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
}

function FieldMessages({ error, hint, errorId, hintId }: { error?: string; hint?: ReactNode; errorId: string; hintId: string }) {
  return (
    <>
      {hint ? (
        <small className="hint" id={hintId}>
          {hint}
        </small>
      ) : null}
      {error ? (
        <small className="field-error" id={errorId} role="alert">
          {error}
        </small>
      ) : null}
    </>
  );
}

export function TextField({
  name,
  label,
  error,
  hint,
  defaultValue,
  required,
  idPrefix,
  placeholder,
  type = "text",
  list,
  inputMode,
}: Common & { placeholder?: string; type?: string; list?: string; inputMode?: "decimal" | "text" }) {
  const { id, errorId, hintId } = ids(idPrefix, name);
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue ?? ""}
        placeholder={placeholder}
        required={required}
        list={list}
        inputMode={inputMode}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error, hint, errorId, hintId)}
      />
      <FieldMessages error={error} hint={hint} errorId={errorId} hintId={hintId} />
    </div>
  );
}

export function TextAreaField({ name, label, error, hint, defaultValue, required, idPrefix, rows = 6 }: Common & { rows?: number }) {
  const { id, errorId, hintId } = ids(idPrefix, name);
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue ?? ""}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error, hint, errorId, hintId)}
      />
      <FieldMessages error={error} hint={hint} errorId={errorId} hintId={hintId} />
    </div>
  );
}

export function SelectField({
  name,
  label,
  error,
  hint,
  defaultValue,
  idPrefix,
  options,
  includeBlank,
}: Common & { options: readonly (string | { value: string; label: string })[]; includeBlank?: string }) {
  const { id, errorId, hintId } = ids(idPrefix, name);
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        name={name}
        defaultValue={defaultValue ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(error, hint, errorId, hintId)}
      >
        {includeBlank !== undefined ? <option value="">{includeBlank}</option> : null}
        {options.map((option) => {
          const { value, label: text } = typeof option === "string" ? { value: option, label: option } : option;
          return (
            <option key={value} value={value}>
              {text}
            </option>
          );
        })}
      </select>
      <FieldMessages error={error} hint={hint} errorId={errorId} hintId={hintId} />
    </div>
  );
}

/** A summary of a rejected form, above it, for people who start reading at the button. */
export function FormErrors({ errors }: { errors?: Record<string, string> | null }) {
  if (!errors || Object.keys(errors).length === 0) return null;
  return (
    <p className="form-errors" role="alert">
      Not saved: {Object.keys(errors).length === 1 ? "one field needs" : `${Object.keys(errors).length} fields need`} attention.
    </p>
  );
}
