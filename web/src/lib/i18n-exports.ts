/**
 * The words of exports in the message catalogue (i18n.ts spreads these in): Chinese first,
 * English second, the same keys and placeholders in both.
 */
export const exportsZh = {
  'exports.label': '导出',
  'exports.csv': '导出 CSV',
  'exports.geojson': '导出 GeoJSON',
  'exports.listHint': '导出当前筛选下的全部记录（不限本页）',
  'exports.layerHint': '导出图层中当前筛选下的全部点位（不限视野）',
  'exports.listOf': '导出{what}',
} as const;

export const exportsEn: Record<keyof typeof exportsZh, string> = {
  'exports.label': 'Export',
  'exports.csv': 'Export CSV',
  'exports.geojson': 'Export GeoJSON',
  'exports.listHint': 'Exports every record of the current filters (not only this page)',
  'exports.layerHint':
    'Exports every point of the layer for the current filters (not only the view)',
  'exports.listOf': 'Export {what}',
};
