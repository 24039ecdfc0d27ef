// The fields of a monitor form. Without scripts every type's settings are shown, grouped
// and labelled; the server keeps only the ones the chosen type uses.
import { SelectField, TextField } from "~/components/forms";
import { MONITOR_MODES, MONITOR_TYPES, MONITOR_TYPE_LABELS } from "~/lib/health-vocabulary";

type Values = Record<string, string | undefined>;

export function MonitorFields({ values, errors, idPrefix }: { values: Values; errors?: Record<string, string>; idPrefix: string }) {
  const common = { idPrefix };
  const field = (name: string, label: string, extra: { hint?: string; placeholder?: string; inputMode?: "decimal" | "text" } = {}) => (
    <TextField name={name} label={label} defaultValue={values[name] ?? ""} error={errors?.[name]} {...common} {...extra} />
  );
  return (
    <>
      <div className="field-row">
        {field("name", "Name", { placeholder: "Health check" })}
        <SelectField
          name="type"
          label="Type"
          defaultValue={values.type ?? "http"}
          error={errors?.type}
          options={MONITOR_TYPES.map((type) => ({ value: type, label: MONITOR_TYPE_LABELS[type] }))}
          {...common}
        />
        <SelectField name="mode" label="Mode" defaultValue={values.mode ?? "active"} error={errors?.mode} options={MONITOR_MODES} {...common} />
      </div>
      <div className="field-row">
        {field("intervalSeconds", "Interval (seconds)", { hint: "At least 10", inputMode: "decimal" })}
        {field("retries", "Failures before down", { hint: "In a row; one success recovers", inputMode: "decimal" })}
        {field("timeoutMs", "Timeout (ms)", { inputMode: "decimal" })}
        {field("degradedMs", "Degraded above (ms)", { hint: "Optional", inputMode: "decimal" })}
      </div>
      <fieldset>
        <legend>HTTP(S) settings</legend>
        <div className="field-row">
          {field("url", "URL", { placeholder: "https://booking.example.com/health" })}
          {field("method", "Method", { placeholder: "GET" })}
          {field("acceptedStatus", "Accepted status codes", { placeholder: "200-299" })}
        </div>
        <div className="field-row">
          {field("bodyContains", "Body contains", { hint: "Optional" })}
          {field("jsonPath", "JSON path", { hint: "Optional, e.g. $.status", placeholder: "$.status" })}
          {field("jsonExpected", "Expected JSON value", { hint: "Optional, e.g. ok" })}
        </div>
      </fieldset>
      <fieldset>
        <legend>TCP settings</legend>
        <div className="field-row">
          {field("host", "Host", { placeholder: "db.internal" })}
          {field("port", "Port", { placeholder: "5432", inputMode: "decimal" })}
        </div>
      </fieldset>
      <fieldset>
        <legend>Push settings</legend>
        <div className="field-row">{field("graceSeconds", "Grace period (seconds)", { hint: "Extra time after the interval before a missing heartbeat counts", inputMode: "decimal" })}</div>
      </fieldset>
      <fieldset>
        <legend>Alert settings</legend>
        <div className="field-row">{field("alertName", "Alert name", { hint: "The alertname label this monitor follows" })}</div>
      </fieldset>
    </>
  );
}

/** A stored monitor as form strings. */
export function monitorFormValues(monitor: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(monitor)) values[key] = value === null || value === undefined ? "" : String(value);
  return values;
}
