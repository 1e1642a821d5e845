/**
 * The party domain's words in the message catalogue (i18n.ts spreads these in): Chinese first,
 * English second, the same keys and placeholders in both.
 */
export const partyZh = {
  'party.title': '党建引领',
};

export const partyEn: Record<keyof typeof partyZh, string> = {
  'party.title': 'Party organisation',
};
