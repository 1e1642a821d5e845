/**
 * The credit domain's words in the message catalogue (i18n.ts spreads these in): Chinese first,
 * English second, the same keys and placeholders in both.
 */
export const creditZh = {
  'credit.title': '物业信用评价',
};

export const creditEn: Record<keyof typeof creditZh, string> = {
  'credit.title': 'Property-company credit',
};
