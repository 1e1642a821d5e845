/**
 * The map's layers, bottom first: one line per layer, each a definition from its own module
 * (define.ts says what one holds). The map, the layer panel, the legend, the tooltip, clicks and
 * the URL's layer list all iterate this list, so a new layer is its module and a line here.
 *
 * @example
 * const ids = buildLayers(LAYERS, view.layers, (id) => dataOf(id)).map((l) => l.id);
 * clickAction(LAYERS, { layerId: 'compounds', index: 0, object: { id: 12 } }, data, session);
 * // { kind: 'area', id: 12 }
 */
import type { Layer } from '@deck.gl/core';
import { addMessages, translator } from '../i18n.ts';
import type { HoverContent, Pick } from '../map/hover.ts';
import type { Lang, TicketFilters } from '../view-config.ts';
import { areasLayer } from './areas.ts';
import { cellTicketsLayer } from './cell-tickets.ts';
import { compoundsLayer } from './compounds.ts';
import { coverageLayer } from './coverage.ts';
import { creditLayer } from './credit.ts';
import { deliberationLayer } from './deliberation.ts';
import { disclosureLayer } from './disclosure.ts';
import { drawingLayer } from './drawing.ts';
import { enforcementLayer } from './enforcement.ts';
import { factsLayer } from './facts.ts';
import { followupsLayer } from './followups.ts';
import { cellsLayer } from './cells.ts';
import {
  allowed,
  type Access,
  type ClickAction,
  type LayerConfig,
  type LayerControl,
  type LayerDefinition,
  type LayerSources,
  type LegendBlock,
  type Pickable,
} from './define.ts';
import { hazardsLayer } from './hazards.ts';
import { labelsLayer } from './labels.ts';
import { mediationLayer } from './mediation.ts';
import { partyLayer } from './party.ts';
import { patrolsLayer } from './patrols.ts';
import { selectionLayer } from './selection.ts';
import { servicePointsLayer } from './service-points.ts';
import { ticketsLayer } from './tickets.ts';
import { whistlesLayer } from './whistles.ts';

export type { Access, ClickAction, LayerDefinition, LegendBlock } from './define.ts';

/** Drawing order, bottom first. */
export const LAYERS = [
  areasLayer,
  cellsLayer,
  coverageLayer,
  partyLayer,
  patrolsLayer,
  compoundsLayer,
  creditLayer,
  disclosureLayer,
  followupsLayer,
  deliberationLayer,
  mediationLayer,
  enforcementLayer,
  servicePointsLayer,
  hazardsLayer,
  ticketsLayer,
  whistlesLayer,
  factsLayer,
  cellTicketsLayer,
  labelsLayer,
  drawingLayer,
  selectionLayer,
] as const;

// Any definition, whatever its config and data types (the functions below only pass them on).

export type AnyLayer = LayerDefinition<string, any, any>;
export type Configs = Readonly<Record<string, LayerConfig>>;
/** A layer's data by its id. */
export type DataOf = (id: string) => unknown;

const withWords = new WeakSet<AnyLayer>();
/** Puts each layer's own words into the catalogue (once per definition). */
function learnWords(defs: readonly AnyLayer[]) {
  for (const def of defs) {
    if (!def.messages || withWords.has(def)) continue;
    addMessages(def.messages);
    withWords.add(def);
  }
}
learnWords(LAYERS);

/** A layer's default configuration (plain data, as the URL keeps it). */
export function defaultConfig(def: AnyLayer): LayerConfig {
  const d = def.defaults as AnyLayer['defaults'];
  return { id: def.id, kind: d.kind, visible: d.visible, colorBy: d.colorBy[0] as string };
}

/** What each layer's data is now, read from the app's state (or its own loader's store). */
export function layerData(
  defs: readonly AnyLayer[],
  sources: LayerSources,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of defs)
    out[def.id] = def.data ? def.data(sources) : (sources.loaded(def.id) ?? null);
  return out;
}

/** All deck.gl layers of the map, in drawing order. Pure: same inputs, same ids and props. */
export function buildLayers(defs: readonly AnyLayer[], configs: Configs, data: DataOf): Layer[] {
  return defs.flatMap((def) => {
    const config = configs[def.id] ?? defaultConfig(def);
    return def.build(config, data(def.id));
  });
}

/** May this account read the layer at all? */
export function readable(def: AnyLayer, access: Access): boolean {
  return allowed(def.capability, access);
}

export interface PanelItem {
  id: string;
  name: string;
  readable: boolean;
  /** shown locked to the public (a sign-in reveals it); hidden from an account without it */
  locked: boolean;
  colorBy: readonly string[];
  control: LayerControl | null;
}

/** The layer panel's rows, top of the map first. */
export function panelItems(
  defs: readonly AnyLayer[],
  access: Access & { signedIn: boolean },
  sources: LayerSources,
  lang: Lang,
): PanelItem[] {
  learnWords(defs);
  const t = translator(lang);
  const out: PanelItem[] = [];
  for (const def of [...defs].reverse()) {
    if (def.hidden) continue;
    const ok = readable(def, access);
    if (!ok && (access.signedIn || !def.capability)) continue;
    out.push({
      id: def.id,
      name: t(`layer.${def.id}` as never),
      readable: ok,
      locked: !ok,
      colorBy: (def.defaults as AnyLayer['defaults']).colorBy,
      control: ok && def.control ? def.control(sources, t) : null,
    });
  }
  return out;
}

/** The legend's blocks for the visible layers this account may read, bottom layer first. */
export function legendEntries(
  defs: readonly AnyLayer[],
  configs: Configs,
  access: Access,
  ctx: { lang: Lang; filter: TicketFilters },
): LegendBlock[] {
  learnWords(defs);
  const t = translator(ctx.lang) as (
    key: string,
    params?: Record<string, string | number>,
  ) => string;
  const seen = new Set<string>();
  const out: LegendBlock[] = [];
  for (const def of defs) {
    const config = configs[def.id];
    if (!def.legend || !config?.visible || !readable(def, access)) continue;
    for (const block of def.legend(config, { ...ctx, t })) {
      if (seen.has(block.key)) continue;
      seen.add(block.key);
      out.push(block);
    }
  }
  return out;
}

function pickableFor(
  defs: readonly AnyLayer[],
  deckId: string,
): [AnyLayer, Pickable<unknown>] | null {
  for (const def of defs) {
    const p = def.picks?.[deckId];
    if (p) return [def, p];
  }
  return null;
}

/** May this account click objects of this deck.gl layer (pointer cursor, 点击查看)? */
export function isClickable(defs: readonly AnyLayer[], deckId: string, access: Access): boolean {
  const found = pickableFor(defs, deckId);
  return !!found && allowed(found[1].needs, access);
}

/** What a click on a picked object does for this account; null: nothing. */
export function clickAction(
  defs: readonly AnyLayer[],
  pick: Pick,
  data: DataOf,
  access: Access,
): ClickAction | null {
  const found = pickableFor(defs, pick.layerId);
  if (!found || !allowed(found[1].needs, access)) return null;
  return found[1].click(pick, data(found[0].id));
}

/**
 * The tooltip for a picked object. `clickable` says whether this account may open it: only then
 * does the tooltip invite a click (点击查看).
 */
export function describePick(
  defs: readonly AnyLayer[],
  pick: Pick,
  data: DataOf,
  lang: Lang,
  clickable = true,
): HoverContent | null {
  for (const def of defs) {
    const describe = def.tooltip?.[pick.layerId];
    if (!describe) continue;
    const content = describe(pick, data(def.id), lang);
    if (content && !clickable) delete content.hint;
    return content;
  }
  return null;
}
