import { ACTION_PRIORITIES, ACTION_STATUSES, ACTION_STATUS_LABELS, ACTION_TYPES } from "~/lib/vocabulary";

import { SelectField, TextAreaField, TextField } from "./forms";

export type ActionFormValues = Partial<Record<"title" | "details" | "type" | "owner" | "dueDate" | "priority" | "status" | "trackerUrl", string>>;

export function ActionFields({ values, errors = {}, idPrefix }: { values: ActionFormValues; errors?: Record<string, string>; idPrefix: string }) {
  return (
    <>
      <TextField name="title" label="Action" required defaultValue={values.title} error={errors.title} idPrefix={idPrefix} />
      <div className="field-row">
        <TextField name="owner" label="Owner" defaultValue={values.owner} error={errors.owner} idPrefix={idPrefix} />
        <TextField name="dueDate" label="Due date" type="date" defaultValue={values.dueDate} error={errors.dueDate} idPrefix={idPrefix} />
        <SelectField name="type" label="Type" options={ACTION_TYPES} defaultValue={values.type ?? "prevent"} error={errors.type} idPrefix={idPrefix} />
        <SelectField name="priority" label="Priority" options={ACTION_PRIORITIES} defaultValue={values.priority ?? "P2"} error={errors.priority} idPrefix={idPrefix} />
        <SelectField
          name="status"
          label="Status"
          options={ACTION_STATUSES.map((value) => ({ value, label: ACTION_STATUS_LABELS[value] }))}
          defaultValue={values.status ?? "open"}
          error={errors.status}
          idPrefix={idPrefix}
        />
      </div>
      <TextField
        name="trackerUrl"
        label="Tracker URL (optional)"
        type="url"
        placeholder="https://tracker.example.com/OPS-42"
        defaultValue={values.trackerUrl}
        error={errors.trackerUrl}
        idPrefix={idPrefix}
      />
      <TextAreaField name="details" label="Details (Markdown)" rows={3} defaultValue={values.details} error={errors.details} idPrefix={idPrefix} />
    </>
  );
}
