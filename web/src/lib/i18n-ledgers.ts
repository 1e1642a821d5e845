/**
 * The words of the trust-property ledgers in the message catalogue (i18n.ts spreads these in): Chinese first,
 * English second, the same keys and placeholders in both.
 */
export const ledgersZh = {
  'ledgers.title': '财务公开',
};

export const ledgersEn: Record<keyof typeof ledgersZh, string> = {
  'ledgers.title': 'Ledgers',
};
