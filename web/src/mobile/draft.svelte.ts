/**
 * One report being written, and the copy of it kept in localStorage so that a reload, a dead
 * battery or a lost connection does not lose it.
 *
 * The Idempotency-Key is created with the draft and lives as long as it does: every attempt to
 * send this report, across retries and reloads, carries the same key, so the server creates the
 * ticket at most once. Once a send has been attempted the exact body is frozen in `pending`
 * (the server answers a retry only when the body matches the first one), and the form stays
 * locked until the server has answered.
 */
import type { TicketCategory, TicketChannel } from '../../../geo/vocabulary.ts';
import type { LonLat } from '../lib/types.ts';
import type { Account, NewTicket } from './api.ts';
import { newUuid } from './uuid.ts';

export interface DraftData {
  version: 1;
  key: string;
  startedAt: string;
  position: LonLat | null;
  /** How the position was chosen; a GPS fix also has its accuracy in metres. */
  positionSource: 'map' | 'gps' | null;
  accuracyM: number | null;
  category: TicketCategory | null;
  title: string;
  description: string;
  photoRef: string;
  residentName: string;
  residentPhone: string;
  urgent: boolean;
  /** The body of a send whose outcome is not known yet. */
  pending: NewTicket | null;
}

export type DraftProblem = 'point' | 'category' | 'subject' | 'phone';

const PHONE = /^\+?[\d\s-]{5,20}$/;

/** The channel a report from this page comes in on: the server forces `sentinel` for sentinels. */
export function channelFor(account: Account): TicketChannel | undefined {
  if (account.role === 'sentinel') return 'sentinel';
  if (account.role === 'gridworker') return 'grid_patrol';
  return undefined;
}

export class Draft {
  key = $state(newUuid());
  startedAt = $state(nowIso());
  position = $state.raw<LonLat | null>(null);
  positionSource = $state<DraftData['positionSource']>(null);
  accuracyM = $state<number | null>(null);
  category = $state<TicketCategory | null>(null);
  title = $state('');
  description = $state('');
  photoRef = $state('');
  residentName = $state('');
  residentPhone = $state('');
  urgent = $state(false);
  pending = $state.raw<NewTicket | null>(null);
  /** Whether this draft came back from storage (told to the user once). */
  restored = $state(false);

  readonly #storageKey: string;

  constructor(username: string) {
    this.#storageKey = `minqing.mobile.draft.${username}`;
    const saved = this.#load();
    if (saved) {
      this.#apply(saved);
      this.restored = this.hasContent || saved.pending !== null;
    }
  }

  get hasContent() {
    return Boolean(
      this.position ||
      this.category ||
      this.title.trim() ||
      this.description.trim() ||
      this.photoRef ||
      this.residentName.trim() ||
      this.residentPhone.trim(),
    );
  }

  get locked() {
    return this.pending !== null;
  }

  get problems(): DraftProblem[] {
    const p: DraftProblem[] = [];
    if (!this.position) p.push('point');
    if (!this.category) p.push('category');
    const title = this.title.trim();
    if (!title || title.length > 100) p.push('subject');
    const phone = this.residentPhone.trim();
    if (phone && !PHONE.test(phone)) p.push('phone');
    return p;
  }

  /** The request body as the API takes it; only what was filled in. */
  toTicket(account: Account): NewTicket {
    if (!this.position || !this.category) throw new Error('the draft is not complete');
    const optional = (s: string) => s.trim() || undefined;
    return {
      category: this.category,
      channel: channelFor(account),
      priority: this.urgent ? 'urgent' : 'normal',
      title: this.title.trim(),
      description: optional(this.description),
      // Six decimals are ~10 cm; longer tails only make the frozen body harder to read.
      position: [round6(this.position[0]), round6(this.position[1])],
      residentName: optional(this.residentName),
      residentPhone: optional(this.residentPhone),
      photoRef: optional(this.photoRef),
    };
  }

  toJSON(): DraftData {
    return {
      version: 1,
      key: this.key,
      startedAt: this.startedAt,
      position: this.position,
      positionSource: this.positionSource,
      accuracyM: this.accuracyM,
      category: this.category,
      title: this.title,
      description: this.description,
      photoRef: this.photoRef,
      residentName: this.residentName,
      residentPhone: this.residentPhone,
      urgent: this.urgent,
      pending: this.pending,
    };
  }

  save() {
    try {
      localStorage.setItem(this.#storageKey, JSON.stringify(this.toJSON()));
    } catch {
      // storage full or blocked: the draft still lives in memory for this visit
    }
  }

  /** After the server created the ticket (or the user threw the draft away): a new report, a new key. */
  reset() {
    this.#apply(emptyDraft());
    this.restored = false;
    try {
      localStorage.removeItem(this.#storageKey);
    } catch {
      // nothing to remove
    }
  }

  #apply(d: DraftData) {
    this.key = d.key;
    this.startedAt = d.startedAt;
    this.position = d.position;
    this.positionSource = d.positionSource;
    this.accuracyM = d.accuracyM;
    this.category = d.category;
    this.title = d.title;
    this.description = d.description;
    this.photoRef = d.photoRef;
    this.residentName = d.residentName;
    this.residentPhone = d.residentPhone;
    this.urgent = d.urgent;
    this.pending = d.pending;
  }

  #load(): DraftData | null {
    try {
      const raw = localStorage.getItem(this.#storageKey);
      if (!raw) return null;
      const d = JSON.parse(raw) as Partial<DraftData>;
      if (d.version !== 1 || typeof d.key !== 'string') return null;
      return { ...emptyDraft(), ...d } as DraftData;
    } catch {
      return null;
    }
  }
}

function emptyDraft(): DraftData {
  return {
    version: 1,
    key: newUuid(),
    startedAt: nowIso(),
    position: null,
    positionSource: null,
    accuracyM: null,
    category: null,
    title: '',
    description: '',
    photoRef: '',
    residentName: '',
    residentPhone: '',
    urgent: false,
    pending: null,
  };
}

function nowIso() {
  return new Date().toISOString();
}

function round6(n: number) {
  return Math.round(n * 1e6) / 1e6;
}
