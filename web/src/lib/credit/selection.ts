/**
 * The company and month the credit tab shows: set by the panel and by a click on the map layer
 * `credit` (which knows no panel), read by both. Stores rather than runes, so the layer module
 * stays plain TypeScript (the registry is loaded outside Svelte's compiler in unit tests).
 */
import { get, writable } from 'svelte/store';

export const creditCompany = writable<number | null>(null);
export const creditPeriod = writable<string | null>(null);

export const currentCreditPeriod = () => get(creditPeriod);
