import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as vocabulary from '../../geo/vocabulary.ts';
import { catalogues, formatRate, translator, type MessageKey } from '../../web/src/lib/i18n.ts';
import { LAYERS } from '../../web/src/lib/layers/registry.ts';
import { COLOR_BY, LAYER_ORDER } from '../../web/src/lib/view-config.ts';

const WEB_SRC = join(import.meta.dirname, '../../web/src');

// The mobile intake page (web/src/mobile) and the wall (web/src/wall) have catalogues of their own,
// whose keys their translators' types check.
const OWN_CATALOGUES = [join(WEB_SRC, 'mobile'), join(WEB_SRC, 'wall')];
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return OWN_CATALOGUES.includes(path) ? [] : sources(path);
    return /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogue', () => {
  const zhKeys = Object.keys(catalogues.zh).sort();

  it('has every message in both languages, none empty', () => {
    expect(Object.keys(catalogues.en).sort()).toEqual(zhKeys);
    for (const lang of ['zh', 'en'] as const) {
      for (const [key, text] of Object.entries(catalogues[lang])) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
      }
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const key of zhKeys as MessageKey[]) {
      expect(placeholders(catalogues.en[key]), key).toEqual(placeholders(catalogues.zh[key]));
    }
  });

  it("has each layer's own words in both languages", () => {
    for (const def of LAYERS) {
      if (!def.messages) continue;
      expect(Object.keys(def.messages.en).sort(), def.id).toEqual(
        Object.keys(def.messages.zh).sort(),
      );
    }
  });

  it('has every key the components ask for', () => {
    // the catalogue, and the words a layer brings along (define.ts `messages`, merged at start)
    const known = new Set([
      ...zhKeys,
      ...LAYERS.flatMap((def) => Object.keys(def.messages?.zh ?? {})),
    ]);
    const used = new Set<string>();
    for (const file of sources(WEB_SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
    }
    // keys built from data: layer names and colour choices
    for (const id of LAYER_ORDER) used.add(`layer.${id}`);
    for (const options of Object.values(COLOR_BY))
      for (const o of options) used.add(`colorBy.${o}`);
    for (const c of ['good', 'fair', 'poor']) used.add(`condition.${c}`);
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !known.has(k));
    expect(missing).toEqual([]);
  });

  it('fills placeholders and falls back to the key', () => {
    expect(translator('zh')('status.tickets', { n: '1,200' })).toBe('工单 1,200 件');
    expect(translator('en')('status.tickets', { n: 3 })).toBe('3 tickets');
    expect(translator('en')('missing.key' as MessageKey)).toBe('missing.key');
  });

  it('has both labels for every vocabulary term', () => {
    const lists = (Object.values(vocabulary) as unknown[]).filter(
      (v): v is readonly { key: string; zh: string; en: string }[] =>
        Array.isArray(v) && typeof v[0] === 'object' && v[0] !== null && 'zh' in v[0],
    );
    expect(lists.length).toBeGreaterThanOrEqual(7);
    for (const list of lists) {
      for (const term of list) {
        expect(term.zh, term.key).toMatch(/\S/);
        expect(term.en, term.key).toMatch(/\S/);
      }
    }
  });

  it('formats rates', () => {
    expect(formatRate(0.9234)).toBe('92.3%');
    expect(formatRate(null)).toBe('—');
  });
});
