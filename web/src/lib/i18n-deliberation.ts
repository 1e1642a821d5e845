/**
 * The words of the four-party meetings, proposals and the three lists in the message catalogue (i18n.ts spreads these in): Chinese first,
 * English second, the same keys and placeholders in both.
 */
export const deliberationZh = {
  'deliberation.title': '议事协商',
};

export const deliberationEn: Record<keyof typeof deliberationZh, string> = {
  'deliberation.title': 'Deliberation',
};
