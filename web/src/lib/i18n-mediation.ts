/**
 * The words of mediation, service points and 执法进小区 in the message catalogue (i18n.ts spreads these in): Chinese first,
 * English second, the same keys and placeholders in both.
 */
export const mediationZh = {
  'mediation.title': '调解与服务',
};

export const mediationEn: Record<keyof typeof mediationZh, string> = {
  'mediation.title': 'Mediation & services',
};
