/**
 * What the tooltip says about a picked object, in the current language, one function per kind
 * of object; each layer's definition names its own (layers/registry.ts `describePick` picks).
 * Binary point layers have no objects, only an index into their columns, so they are described
 * from the codes.
 */
import {
  AREA_LEVEL_LABELS,
  HAZARD_SEVERITIES,
  HAZARD_STATUSES,
  HAZARD_TYPES,
  RATING_COLORS,
  TICKET_CATEGORIES,
  TICKET_CHANNELS,
  TICKET_STATUSES,
  type AreaLevel,
} from '../../../../geo/vocabulary.ts';
import { FLAG_OVERDUE, FLAG_URGENT } from '../../../../geo/point-codec.ts';
import { WHISTLE_STATES } from '../../../../geo/operations.ts';
import { formatWhen, termLabel, translator, type MessageKey } from '../i18n.ts';
import type { AreaFeature, CheckinFeature, PointData, TrackFeature, WhistleRow } from '../types.ts';
import type { WhistleArc } from '../layers/whistles.ts';
import type { CoverageBucket } from '../layers/patrols.ts';
import type { Lang } from '../view-config.ts';
import type { CompoundPoint } from '../layers/compounds.ts';
import { cssColor } from '../layers/palette.ts';

export interface HoverContent {
  title: string;
  lines: { label?: string; text: string; color?: string }[];
  hint?: string;
}

export interface Pick {
  layerId: string;
  index: number;
  object: unknown;
}

function ratingLine(rating: string | null | undefined, lang: Lang) {
  const term = RATING_COLORS.find((t) => t.key === rating);
  if (!term) return null;
  return { text: termLabel(term, lang), color: cssColor(term.color) };
}

export type Describe<D = unknown> = (pick: Pick, data: D, lang: Lang) => HoverContent | null;

export const describeArea: Describe = (pick, _data, lang) => {
  const t = translator(lang);
  const f = pick.object as AreaFeature | null;
  if (!f?.properties) return null;
  const p = f.properties;
  const lines: HoverContent['lines'] = [
    { text: AREA_LEVEL_LABELS[p.level as AreaLevel]?.[lang] ?? p.level },
  ];
  const r = ratingLine(p.rating, lang);
  if (r) lines.push(r);
  if (p.openTickets !== null && p.openTickets !== undefined) {
    lines.push({ text: t('tooltip.open', { n: p.openTickets }) });
  }
  if (p.overdueTickets) lines.push({ text: t('tooltip.overdue', { n: p.overdueTickets }) });
  return { title: p.name, lines, hint: t('tooltip.drill') };
};

export const describeLabel: Describe = (pick, _data, lang) => {
  const l = pick.object as { text?: string } | null;
  return l?.text ? { title: l.text, lines: [], hint: translator(lang)('tooltip.drill') } : null;
};

export const describeCompound: Describe = (pick, _data, lang) => {
  const t = translator(lang);
  const c = pick.object as CompoundPoint | null;
  if (!c) return null;
  const lines: HoverContent['lines'] = [{ text: AREA_LEVEL_LABELS.compound[lang] }];
  const r = ratingLine(c.rating, lang);
  if (r) lines.push(r);
  if (c.openTickets !== null) lines.push({ text: t('tooltip.open', { n: c.openTickets }) });
  return { title: c.name, lines, hint: t('tooltip.drill') };
};

export const describeTicket: Describe<PointData | null> = (pick, d, lang) => {
  const t = translator(lang);
  if (!d || pick.index < 0 || pick.index >= d.length) return null;
  const i = pick.index;
  const flags = d.codes[3][i];
  const category = TICKET_CATEGORIES[d.codes[0][i]];
  const status = TICKET_STATUSES[d.codes[1][i]];
  const lines: HoverContent['lines'] = [
    {
      label: t('filters.category'),
      text: termLabel(category, lang),
      color: category && cssColor(category.color),
    },
    {
      label: t('filters.status'),
      text: termLabel(status, lang),
      color: status && cssColor(status.color),
    },
    { label: t('filters.channel'), text: termLabel(TICKET_CHANNELS[d.codes[2][i]], lang) },
  ];
  const marks = [
    flags & FLAG_OVERDUE ? t('tooltip.overdueFlag') : '',
    flags & FLAG_URGENT ? t('tooltip.urgent') : '',
  ].filter(Boolean);
  if (marks.length) lines.push({ text: marks.join(' · '), color: '#ff6b6b' });
  return { title: `${t('tooltip.ticket')} #${d.ids[i]}`, lines, hint: t('tooltip.drill') };
};

export const describeHazard: Describe<PointData | null> = (pick, d, lang) => {
  const t = translator(lang);
  if (!d || pick.index < 0 || pick.index >= d.length) return null;
  const i = pick.index;
  const severity = HAZARD_SEVERITIES[d.codes[1][i]];
  const lines: HoverContent['lines'] = [
    { text: termLabel(HAZARD_TYPES[d.codes[0][i]], lang) },
    { text: termLabel(severity, lang), color: severity && cssColor(severity.color) },
    { text: termLabel(HAZARD_STATUSES[d.codes[2][i]], lang) },
  ];
  if (d.codes[3][i] & FLAG_OVERDUE)
    lines.push({ text: t('tooltip.overdueFlag'), color: '#ff6b6b' });
  return { title: `${t('tooltip.hazard')} #${d.ids[i]}`, lines, hint: t('tooltip.drill') };
};

export const describeWhistleArc: Describe = (pick, _data, lang) => {
  const t = translator(lang);
  const a = pick.object as WhistleArc | null;
  if (!a) return null;
  const state = WHISTLE_STATES.find((s) => s.key === a.state);
  return {
    title: `${t('layer.whistles')} · ${a.responder}`,
    lines: [
      { text: state ? state[lang] : a.state, color: state && cssColor(state.color) },
      { text: a.pending ? t('whistle.notReported') : t('whistle.reportIn') },
    ],
    hint: t('tooltip.drill'),
  };
};

export const describeWhistleSite: Describe = (pick, _data, lang) => {
  const t = translator(lang);
  const w = pick.object as WhistleRow | null;
  if (!w) return null;
  const state = WHISTLE_STATES.find((s) => s.key === w.state);
  return {
    title: `${t('layer.whistles')} ${w.code}`,
    lines: [
      { text: state ? state[lang] : w.state, color: state && cssColor(state.color) },
      { text: w.compoundName ?? '' },
      { text: w.reason },
    ],
    hint: t('tooltip.drill'),
  };
};

export const describeTrack: Describe = (pick, _data, lang) => {
  const t = translator(lang);
  const f = pick.object as TrackFeature | null;
  if (!f?.properties) return null;
  const p = f.properties;
  return {
    title: `${t('patrol.gridworker')} ${p.gridworker}`,
    lines: [
      {
        text: `${formatWhen(p.startedAt, lang)} – ${p.endedAt ? formatWhen(p.endedAt, lang) : '…'}`,
      },
      { text: t('patrol.distance', { km: (p.distanceM / 1000).toFixed(2) }) },
      { text: t('patrol.checkins', { n: p.checkins }) },
    ],
  };
};

export const describeCheckin: Describe = (pick, _data, lang) => {
  const t = translator(lang);
  const f = pick.object as CheckinFeature | null;
  if (!f?.properties) return null;
  return {
    title: `${t('patrol.checkin')} · ${f.properties.compoundName}`,
    lines: [{ text: formatWhen(f.properties.at, lang) }],
    hint: t('tooltip.drill'),
  };
};

export const describeCoverage: Describe = (pick, _data, lang) => {
  const t = translator(lang);
  const f = pick.object as {
    properties?: { name: string; bucket: CoverageBucket; lastPatrolledAt: string | null };
  } | null;
  const p = f?.properties;
  if (!p) return null;
  return {
    title: p.name,
    lines: [
      { text: t(`coverage.${p.bucket}` as MessageKey) },
      ...(p.lastPatrolledAt
        ? [{ text: t('coverage.last', { at: formatWhen(p.lastPatrolledAt, lang) }) }]
        : []),
    ],
    hint: t('tooltip.drill'),
  };
};
