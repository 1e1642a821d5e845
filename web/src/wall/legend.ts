/**
 * What the colours on the wall's map mean, for the layers on screen: a legend read from across
 * the room, in the map's own colours (map/colors.ts).
 *
 * @example
 * legendFor(['ratings', 'hazards'], t); // [{ title: '小区评定', items: [红, 黄, 蓝] }, { title: '隐患', … }]
 */
import { RATING_COLORS } from '../../../geo/vocabulary.ts';
import { REPLAY_KINDS } from '../../../server/contract/wall.ts';
import type { Rgba } from '../lib/layers/palette.ts';
import {
  coverageColor,
  HEAT_RANGE,
  hotspotColor,
  openCellColor,
  ratingColor,
  REPLAY_COLORS,
  SEVERITY_COLORS,
  TRACK_COLOR,
  WHISTLE_STATE_COLORS,
} from './map/colors.ts';
import type { WallLayerId } from './map/scenes.ts';
import type { Key, Translate } from './i18n.ts';

export interface LegendGroup {
  layer: WallLayerId;
  title: string;
  items: { color: string; text: string }[];
}

const css = ([r, g, b, a]: Rgba | readonly number[]) =>
  `rgba(${r}, ${g}, ${b}, ${((a ?? 255) / 255).toFixed(2)})`;

/** The legend of each layer on screen, in drawing order; none for the focus ring. */
export function legendFor(layers: readonly WallLayerId[], t: Translate): LegendGroup[] {
  const k = (key: string) => t(key as Key);
  const out: LegendGroup[] = [];
  for (const layer of layers) {
    const items: LegendGroup['items'] = [];
    switch (layer) {
      case 'ratings':
        RATING_COLORS.forEach((_, i) =>
          items.push({ color: css(ratingColor(i, 255)), text: k(`legend.rating.${i}`) }),
        );
        break;
      case 'open':
        items.push(
          { color: css(openCellColor(1, 100)), text: k('legend.few') },
          { color: css(openCellColor(100, 100)), text: k('legend.many') },
        );
        break;
      case 'hotspots':
        items.push(
          { color: css(hotspotColor(3)), text: k('legend.hot') },
          { color: css(hotspotColor(-3)), text: k('legend.cold') },
        );
        break;
      case 'coverage':
        items.push(
          { color: css(coverageColor(-2)), text: k('legend.under') },
          { color: css(coverageColor(2)), text: k('legend.over') },
        );
        break;
      case 'heat':
        items.push(
          { color: css(HEAT_RANGE[1]!), text: k('legend.few') },
          { color: css(HEAT_RANGE[5]!), text: k('legend.many') },
        );
        break;
      case 'tracks':
        items.push({ color: css(TRACK_COLOR), text: k('legend.tracks.line') });
        break;
      case 'whistles':
        WHISTLE_STATE_COLORS.forEach((c, i) =>
          items.push({ color: css(c), text: k(`legend.whistle.${i}`) }),
        );
        break;
      case 'hazards':
        [3, 2, 1, 0].forEach((i) =>
          items.push({ color: css(SEVERITY_COLORS[i]!), text: k(`legend.severity.${i}`) }),
        );
        break;
      case 'replay':
        REPLAY_KINDS.forEach((kind, i) =>
          items.push({ color: css(REPLAY_COLORS[i]!), text: k(`replay.kind.${kind}`) }),
        );
        break;
      case 'focus':
        continue;
    }
    out.push({ layer, title: k(`legend.${layer}`), items });
  }
  return out;
}
