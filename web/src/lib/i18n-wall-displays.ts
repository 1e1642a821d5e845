/** The wall's displays in the workspace (i18n.ts spreads these in): Chinese first, English second. */
export const wallDisplaysZh = {};

export const wallDisplaysEn: Record<keyof typeof wallDisplaysZh, string> = {};
