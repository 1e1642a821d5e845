/**
 * Where Lanzhou is urban. The five districts are mostly loess mountains; the city fills the narrow
 * Yellow River valley (and, in 红古区, the 湟水 valley around 海石湾). These centres approximate the
 * built-up areas as overlapping Gaussian bumps (WGS-84 lon/lat, sigma in metres); the first of each
 * district is its old core, where the oldest compounds are. `share` is the district's part of the
 * city's compounds (roughly its part of the urban population).
 */
export interface DistrictUrbanModel {
  share: number;
  /** Street orientation in degrees from east: the valley runs WNW–ESE. */
  streetAngle: number;
  centres: { at: [number, number]; sigma: number; weight: number; label: string }[];
}

export const URBAN: Record<string, DistrictUrbanModel> = {
  '620102': {
    share: 0.42,
    streetAngle: -8,
    centres: [
      { at: [103.832, 36.06], sigma: 1500, weight: 1, label: '张掖路、酒泉路老城' },
      { at: [103.855, 36.045], sigma: 1700, weight: 0.95, label: '火车站、东岗西路' },
      { at: [103.885, 36.068], sigma: 1500, weight: 0.8, label: '雁滩' },
      { at: [103.91, 36.05], sigma: 1600, weight: 0.7, label: '东岗、拱星墩' },
      { at: [103.845, 36.078], sigma: 1000, weight: 0.55, label: '盐场、九州' },
      { at: [103.815, 36.045], sigma: 1000, weight: 0.6, label: '皋兰路、五泉山' },
    ],
  },
  '620103': {
    share: 0.22,
    streetAngle: -12,
    centres: [
      { at: [103.785, 36.062], sigma: 1400, weight: 1, label: '西站、敦煌路' },
      { at: [103.757, 36.07], sigma: 1300, weight: 0.8, label: '土门墩、秀川' },
      { at: [103.8, 36.045], sigma: 1000, weight: 0.65, label: '龚家湾、晏家坪' },
      { at: [103.735, 36.035], sigma: 1400, weight: 0.5, label: '彭家坪' },
    ],
  },
  '620104': {
    share: 0.14,
    streetAngle: -5,
    centres: [
      { at: [103.628, 36.095], sigma: 1700, weight: 1, label: '西固城、福利路' },
      { at: [103.66, 36.088], sigma: 1300, weight: 0.75, label: '四季青、临洮街' },
      { at: [103.585, 36.103], sigma: 1300, weight: 0.5, label: '陈坪、西柳沟' },
    ],
  },
  '620105': {
    share: 0.15,
    streetAngle: -10,
    centres: [
      { at: [103.72, 36.1], sigma: 1500, weight: 1, label: '培黎、西路' },
      { at: [103.765, 36.094], sigma: 1200, weight: 0.8, label: '十里店、孔家崖' },
      { at: [103.69, 36.108], sigma: 1200, weight: 0.6, label: '安宁堡、刘家堡' },
    ],
  },
  '620111': {
    share: 0.07,
    streetAngle: 25,
    centres: [
      { at: [102.87, 36.345], sigma: 1400, weight: 1, label: '海石湾' },
      { at: [102.862, 36.405], sigma: 1000, weight: 0.6, label: '窑街' },
      { at: [102.95, 36.31], sigma: 1000, weight: 0.4, label: '花庄' },
      { at: [103.02, 36.28], sigma: 1000, weight: 0.35, label: '平安' },
    ],
  },
};
