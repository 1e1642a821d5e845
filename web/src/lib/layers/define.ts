/**
 * What one map layer is, in one object: its configuration defaults (plain data, kept in the URL),
 * who may read it, where its data comes from, how deck.gl draws it, its legend, its tooltip, what
 * a click on it does, and its own words in Chinese and English. registry.ts lists them; the map,
 * the layer panel, the legend, the tooltip and the URL all iterate that list.
 *
 * @example
 * export const heatLayer = defineLayer({
 *   id: 'heat',
 *   defaults: { kind: 'heat', visible: false, colorBy: ['count'] },
 *   capability: ['points.read', 'tickets.read'],
 *   messages: { zh: { 'layer.heat': '热力' }, en: { 'layer.heat': 'Heat' } },
 *   load: { fetch: ({ api, filter, bbox }, signal) => api.heat(bbox, filter, signal) },
 *   build: (config, data) => new HeatmapLayer({ id: 'heat', data, visible: config.visible }),
 * });
 */
import type { Layer } from '@deck.gl/core';
import type { Capability } from '../../../../geo/operations.ts';
import type { api as Api } from '../api.ts';
import type { Translate } from '../i18n.ts';
import type { HoverContent, Pick } from '../map/hover.ts';
import type { AreasState } from '../state/areas.svelte.ts';
import type { HazardsState } from '../state/hazards.svelte.ts';
import type { PatrolsState } from '../state/patrols.svelte.ts';
import type { PlannerState } from '../state/planner.svelte.ts';
import type { FutureCapability } from '../state/session.svelte.ts';
import type { TicketsState } from '../state/tickets.svelte.ts';
import type { WhistlesState } from '../state/whistles.svelte.ts';
import type { BBox } from '../types.ts';
import type { Lang, TicketFilters } from '../view-config.ts';
import type { Label } from './labels.ts';
import type { Marker } from './selection.ts';

export type LayerKind = 'polygon' | 'point' | 'text' | 'path' | 'arc' | 'hex' | 'heat' | 'marker';

/** A layer's configuration: plain data, saved in the URL (view-config.ts). */
export interface LayerConfig<C extends string = string> {
  id: string;
  kind: LayerKind;
  visible: boolean;
  colorBy: C;
}

/** Who may do something: any one of these capabilities (null: everyone, the public too). */
export type Needs = readonly (Capability | FutureCapability)[] | null;

/** What the signed-in account may do (SessionState.can). */
export interface Access {
  can(capability: Capability | FutureCapability): boolean;
}

export function allowed(needs: Needs | undefined, access: Access): boolean {
  return !needs || needs.some((c) => access.can(c));
}

export type ClickAction =
  | { kind: 'area'; id: number }
  | { kind: 'ticket'; id: number }
  | { kind: 'hazard'; id: number }
  | { kind: 'whistle'; id: number }
  | { kind: 'cell'; h3: string };

/** The app's state a layer reads its data from (AppState has them all). */
export interface LayerSources {
  areas: AreasState;
  tickets: TicketsState;
  hazards: HazardsState;
  whistles: WhistlesState;
  patrols: PatrolsState;
  planner: PlannerState;
  labels: Label[];
  markers: Marker[];
  /** data of the layers that load their own (see `load`), by layer id */
  loaded(id: string): unknown;
}

/** What a layer's loader is given: the one map filter, the selection, the viewport, the API. */
export interface LoadQuery<C extends string = string> {
  api: typeof Api;
  filter: TicketFilters;
  area: number | null;
  bbox: BBox | null;
  zoom: number;
  config: LayerConfig<C>;
}

export interface LayerLoader<D, C extends string = string> {
  /** Requests with the same key are one; default: the filter, area, bbox and colorBy. */
  key?: (q: LoadQuery<C>) => string;
  fetch: (q: LoadQuery<C>, signal: AbortSignal) => Promise<D>;
  /** live event kinds after which the data is reloaded */
  live?: readonly ('ticket' | 'hazard' | 'whistle' | 'patrol')[];
}

export type LegendShape =
  'square' | 'dot' | 'ring' | 'hollow' | 'arc' | 'line' | 'checkin' | 'text';

export interface LegendBlock {
  /** blocks with the same key are shown once (two layers may share one colour scale) */
  key: string;
  title: string;
  items?: { label: string; color?: string; shape: LegendShape }[];
  ramp?: { css: string; low: string; high: string };
  /** three columns, for long lists */
  columns?: boolean;
}

export interface LegendContext {
  lang: Lang;
  t: (key: string, params?: Record<string, string | number>) => string;
  filter: TicketFilters;
}

/** One deck.gl layer id's click: what it opens, and who may click. */
export interface Pickable<D> {
  click: (pick: Pick, data: D) => ClickAction | null;
  needs?: Needs;
}

/** A control beside the layer's switch other than colour-by (e.g. today/yesterday). */
export interface LayerControl {
  values: readonly { key: string; label: string }[];
  current: string;
  set: (key: string) => void;
}

export interface LayerDefinition<
  Id extends string = string,
  C extends string = string,
  D = unknown,
> {
  id: Id;
  defaults: { kind: LayerKind; visible: boolean; colorBy: readonly [C, ...C[]] };
  /** who may read it: without, its switch is locked (or hidden, once signed in) */
  capability: Needs;
  /** its own words, merged into the catalogue: `layer.<id>` is its name */
  messages?: { zh: Record<string, string>; en: Record<string, string> };
  /** where its data is in the app's state… */
  data?: (sources: LayerSources) => D;
  /** …or how it loads its own (then `data` is what the loader brought, or null) */
  load?: LayerLoader<D, C>;
  build: (config: LayerConfig<C>, data: D) => Layer | Layer[];
  legend?: (config: LayerConfig<C>, ctx: LegendContext) => LegendBlock[];
  /** by deck.gl layer id (a layer may draw several) */
  tooltip?: Record<string, (pick: Pick, data: D, lang: Lang) => HoverContent | null>;
  picks?: Record<string, Pickable<D>>;
  control?: (sources: LayerSources, t: Translate) => LayerControl | null;
  /** not in the layer panel (e.g. the selection marker) */
  hidden?: boolean;
}

/** Keeps the literal id and colorBy options, so configurations are typed per layer. */
export function defineLayer<const Id extends string, const C extends string, D>(
  def: LayerDefinition<Id, C, D>,
): LayerDefinition<Id, C, D> {
  return def;
}
