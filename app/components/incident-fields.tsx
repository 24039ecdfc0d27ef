import { COMMON_ZONES } from "~/lib/incident-form";
import {
  DETECTION_METHODS,
  DETECTION_METHOD_LABELS,
  INCIDENT_STATUSES,
  INCIDENT_STATUS_LABELS,
  SEVERITIES,
  SEVERITY_LABELS,
} from "~/lib/vocabulary";

import { SelectField, TextAreaField, TextField } from "./forms";

type Props = {
  values: Record<string, string>;
  errors?: Record<string, string>;
  /** The cause-category vocabulary (models/categories.server.ts), read by the page's loader. */
  categories: readonly string[];
  idPrefix?: string;
  /** The new-incident form also asks for the summary. */
  withSummary?: boolean;
};

const TIME_HINT = "e.g. 2024-06-09 16:20 or 9 June 2024 4:20 PM, read in the time zone above. Leave empty if unknown.";

export function IncidentFields({ values, errors = {}, categories, idPrefix, withSummary }: Props) {
  // A value the list lacks (a rejected form, a category deleted meanwhile) is still shown as chosen.
  const categoryOptions = values.category && !categories.includes(values.category) ? [...categories, values.category] : categories;
  return (
    <>
      <TextField name="title" label="Title" required defaultValue={values.title} error={errors.title} idPrefix={idPrefix} />
      <div className="field-row">
        <SelectField
          name="severity"
          label="Severity"
          options={SEVERITIES.map((value) => ({ value, label: SEVERITY_LABELS[value] }))}
          includeBlank={values.severity ? undefined : "Choose…"}
          defaultValue={values.severity}
          error={errors.severity}
          idPrefix={idPrefix}
        />
        <SelectField
          name="status"
          label="Status"
          options={INCIDENT_STATUSES.map((value) => ({ value, label: INCIDENT_STATUS_LABELS[value] }))}
          defaultValue={values.status || "investigating"}
          error={errors.status}
          idPrefix={idPrefix}
        />
        <TextField
          name="timeZone"
          label="Time zone"
          list="zone-suggestions"
          defaultValue={values.timeZone || "UTC"}
          error={errors.timeZone}
          hint="IANA name (Europe/Berlin) or offset (GMT+3)"
          idPrefix={idPrefix}
        />
        <datalist id="zone-suggestions">
          {COMMON_ZONES.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </div>
      <div className="field-row">
        <TextField name="startedAt" label="Started" placeholder="2024-06-09 16:20" defaultValue={values.startedAt} error={errors.startedAt} idPrefix={idPrefix} />
        <TextField name="detectedAt" label="Detected" placeholder="16:30" defaultValue={values.detectedAt} error={errors.detectedAt} idPrefix={idPrefix} />
        <TextField name="mitigatedAt" label="Mitigated" placeholder="17:00" defaultValue={values.mitigatedAt} error={errors.mitigatedAt} idPrefix={idPrefix} />
        <TextField name="resolvedAt" label="Resolved" placeholder="17:10" defaultValue={values.resolvedAt} error={errors.resolvedAt} idPrefix={idPrefix} />
      </div>
      <p className="hint">{TIME_HINT} A time without a date is read on the start&apos;s date.</p>
      <div className="field-row">
        <TextField
          name="impactPercent"
          label="Users affected (%)"
          inputMode="decimal"
          placeholder="45"
          defaultValue={values.impactPercent}
          error={errors.impactPercent}
          idPrefix={idPrefix}
        />
        <TextField
          name="services"
          label="Affected services"
          placeholder="booking web app, booking database"
          hint="Separate names with commas"
          defaultValue={values.services}
          error={errors.services}
          idPrefix={idPrefix}
        />
      </div>
      <TextAreaField
        name="impactDescription"
        label="Impact description"
        rows={2}
        defaultValue={values.impactDescription}
        error={errors.impactDescription}
        idPrefix={idPrefix}
      />
      <div className="field-row">
        <SelectField
          name="category"
          label="Cause category"
          includeBlank="Not classified yet"
          options={categoryOptions}
          defaultValue={values.category}
          error={errors.category}
          idPrefix={idPrefix}
        />
        <TextField
          name="trigger"
          label="Trigger"
          placeholder="deploy of booking-api 4.2"
          hint="What set it off, in a few words"
          defaultValue={values.trigger}
          error={errors.trigger}
          idPrefix={idPrefix}
        />
        <SelectField
          name="detectionMethod"
          label="Detection method"
          includeBlank="Not stated"
          options={DETECTION_METHODS.map((value) => ({ value, label: DETECTION_METHOD_LABELS[value] }))}
          defaultValue={values.detectionMethod}
          error={errors.detectionMethod}
          idPrefix={idPrefix}
        />
      </div>
      {withSummary ? (
        <TextAreaField name="summary" label="Summary (Markdown)" defaultValue={values.summary} error={errors.summary} idPrefix={idPrefix} />
      ) : null}
    </>
  );
}
