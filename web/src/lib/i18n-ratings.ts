/**
 * The ratings domain's words in the message catalogue (i18n.ts spreads these in): Chinese first,
 * English second, the same keys and placeholders in both.
 */
export const ratingsZh = {
  'ratings.title': '红黄蓝三色评估',
};

export const ratingsEn: Record<keyof typeof ratingsZh, string> = {
  'ratings.title': 'Three-colour ratings',
};
