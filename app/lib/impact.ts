// How the share of users hit is written everywhere: pages, History, the review checklist, the export.

/** 45 → "45%", 12.5 → "12.5%", 0.05 → "0.05%" (two significant digits below 1%). */
export function formatPercent(value: number): string {
  const shown = value >= 1 || value === 0 ? Number(value.toFixed(2)) : Number(value.toPrecision(2));
  return `${shown}%`;
}

/** "45% of users. Users could not book…": the share and the description, or `none` when neither is known. */
export function impactText(percent: number | null, description: string | null | undefined, none: string): string {
  const parts = [percent === null ? null : `${formatPercent(percent)} of users`, description?.trim() || null].filter(Boolean);
  return parts.length ? parts.join(". ") : none;
}
