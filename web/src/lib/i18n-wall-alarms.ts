/** The wall's alarms in the workspace (i18n.ts spreads these in): Chinese first, English second. */
export const wallAlarmsZh = {};

export const wallAlarmsEn: Record<keyof typeof wallAlarmsZh, string> = {};
