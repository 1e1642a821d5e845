/**
 * 大屏管理 (the wall's administration in the workspace) in the message catalogue (i18n.ts spreads
 * these in): Chinese first, English second, the same keys and placeholders in both.
 */
export const wallAdminZh = {
  'wallAdmin.menu': '大屏管理',
  'wallAdmin.title': '指挥大屏管理',
  'wallAdmin.openWall': '打开大屏',
  'wallAdmin.close': '关闭',
  'wallAdmin.tab.alarms': '告警',
  'wallAdmin.tab.playlists': '轮播场景',
  'wallAdmin.tab.displays': '大屏授权',
};

export const wallAdminEn: Record<keyof typeof wallAdminZh, string> = {
  'wallAdmin.menu': 'Wall',
  'wallAdmin.title': 'Command-center wall',
  'wallAdmin.openWall': 'Open the wall',
  'wallAdmin.close': 'Close',
  'wallAdmin.tab.alarms': 'Alarms',
  'wallAdmin.tab.playlists': 'Scenes',
  'wallAdmin.tab.displays': 'Display keys',
};
