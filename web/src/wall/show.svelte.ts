/**
 * What the wall shows, second by second: the tour through its playlist's scenes, the alarms that
 * interrupt it (fly there, pulse, banner, one after another, then back to the tour) and the
 * 24-hour replay for shift hand-over. The rules are in scheduling.ts; this class holds the state,
 * the timers and the requests.
 */
import type { Alarm, AlarmList, Playlist, Replay, Scene } from '../../../server/contract/wall.ts';
import {
  acknowledge,
  advance,
  emptyQueue,
  enqueue,
  follow,
  replayFrame,
  startTour,
  step,
  type AlarmQueueState,
  type ReplayFrame,
  type TourPosition,
} from './scheduling.ts';

const SCENE_KEY = 'minqing.wall.scene';
const PLAYLIST_REFRESH_MS = 5 * 60_000;
const ALARMS_REFRESH_MS = 60_000;
const TICK_MS = 250;
/** Alarms kept for the list (the server sends at most 200 a day). */
const ALARM_LIST = 200;
const REPLAY_HOLD_MS = 5000;

export interface ShowOptions {
  /** `?playlist=<id>`: tour this saved playlist (an account; a display tours its own). */
  playlist: string | null;
  /** `?scene=<id>`: start at this scene. */
  scene: string | null;
  /** `?tour=off`: stay on the scene. */
  tour: boolean;
  /** `?sound=on`: a short tone with each alarm (off by default). */
  sound: boolean;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return (await res.json()) as T;
}

export class WallShow {
  playlist = $state.raw<Playlist | null>(null);
  position = $state.raw<TourPosition>({ index: 0, since: Date.now() });
  queue = $state.raw<AlarmQueueState>(emptyQueue());
  /** Alarms of the last 24 h, newest first, for the alarm panel. */
  alarms = $state.raw<Alarm[]>([]);
  replay = $state.raw<Replay | null>(null);
  replayStartedAt = $state<number | null>(null);
  frame = $state.raw<ReplayFrame | null>(null);
  replayError = $state(false);
  now = $state(Date.now());
  paused = $state(false);

  #timers: ReturnType<typeof setInterval>[] = [];
  #audio: AudioContext | null = null;
  #replayDoneAt: number | null = null;

  constructor(private readonly options: ShowOptions) {
    this.paused = !options.tour;
  }

  get scenes(): readonly Scene[] {
    return this.playlist?.scenes ?? [];
  }

  get scene(): Scene | null {
    return this.scenes[this.position.index] ?? null;
  }

  /** The alarm holding the wall, if any. */
  get alarm(): Alarm | null {
    return this.queue.current?.alarm ?? null;
  }

  get replaying(): boolean {
    return this.replayStartedAt !== null;
  }

  start() {
    void this.loadPlaylist();
    void this.loadAlarms();
    this.#timers.push(
      setInterval(() => this.tick(Date.now()), TICK_MS),
      setInterval(() => void this.loadPlaylist(), PLAYLIST_REFRESH_MS),
      setInterval(() => void this.loadAlarms(), ALARMS_REFRESH_MS),
    );
  }

  stop() {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    void this.#audio?.close();
  }

  tick(now: number) {
    this.now = now;
    const q = step(this.queue, now);
    if (q !== this.queue) this.queue = q;
    if (this.replayStartedAt !== null && this.replay) {
      this.frame = replayFrame(this.replay, now - this.replayStartedAt);
      // The last frame stays up for a few seconds, then the tour comes back.
      if (!this.frame.done) this.#replayDoneAt = null;
      else if (this.#replayDoneAt === null) this.#replayDoneAt = now;
      else if (now - this.#replayDoneAt > REPLAY_HOLD_MS) this.stopReplay();
      return;
    }
    // An alarm or a paused tour holds the scene; its dwell starts again afterwards.
    if (this.queue.current || this.paused) {
      this.position = { ...this.position, since: now };
      return;
    }
    const next = advance(this.position, this.scenes, now);
    if (next !== this.position) this.goTo(next.index, now);
  }

  goTo(index: number, now = Date.now()) {
    const n = this.scenes.length;
    if (n === 0) return;
    this.position = { index: ((index % n) + n) % n, since: now };
    const id = this.scene?.id;
    if (id) {
      try {
        localStorage.setItem(SCENE_KEY, id);
      } catch {
        // A locked-down kiosk browser without storage: the tour still runs.
      }
    }
  }

  async loadPlaylist() {
    try {
      const id = this.options.playlist;
      const next = await getJson<Playlist>(
        `/api/wall/playlist${id ? `?id=${encodeURIComponent(id)}` : ''}`,
      );
      const old = this.playlist;
      if (!old) {
        let saved = this.options.scene;
        if (!saved) {
          try {
            saved = localStorage.getItem(SCENE_KEY);
          } catch {
            saved = null;
          }
        }
        this.playlist = next;
        this.position = startTour(next.scenes, saved, Date.now());
      } else if (old.version !== next.version || old.id !== next.id) {
        this.position = follow(this.position, old.scenes, next.scenes, Date.now());
        this.playlist = next;
      }
    } catch {
      // Kept as it was; the next refresh tries again.
    }
  }

  async loadAlarms() {
    try {
      const list = await getJson<AlarmList>('/api/wall/alarms');
      this.alarms = list.items;
      this.#enqueue(list.items);
    } catch {
      // The stream and the next refresh bring them.
    }
  }

  /** An alarm from the stream. */
  raised(alarm: Alarm) {
    this.alarms = [alarm, ...this.alarms.filter((a) => a.id !== alarm.id)].slice(0, ALARM_LIST);
    this.#enqueue([alarm]);
  }

  /** An acknowledgement from the stream. */
  acknowledged(alarm: Alarm) {
    this.alarms = this.alarms.map((a) => (a.id === alarm.id ? alarm : a));
    this.queue = acknowledge(this.queue, alarm);
  }

  #enqueue(alarms: readonly Alarm[]) {
    const before = this.queue.current?.alarm.id;
    this.queue = enqueue(this.queue, alarms, Date.now());
    if (this.options.sound && this.queue.current && this.queue.current.alarm.id !== before) {
      this.#beep();
    }
  }

  #beep() {
    try {
      this.#audio ??= new AudioContext();
      const osc = this.#audio.createOscillator();
      const gain = this.#audio.createGain();
      gain.gain.value = 0.2;
      osc.frequency.value = 880;
      osc.connect(gain).connect(this.#audio.destination);
      osc.start();
      osc.stop(this.#audio.currentTime + 0.4);
    } catch {
      // No audio device: the banner says it all.
    }
  }

  async startReplay(hours = 24) {
    this.replayError = false;
    try {
      this.replay = await getJson<Replay>(`/api/wall/replay?hours=${hours}`);
      this.replayStartedAt = Date.now();
      this.frame = replayFrame(this.replay, 0);
    } catch {
      this.replayError = true;
    }
  }

  stopReplay() {
    this.#replayDoneAt = null;
    this.replayStartedAt = null;
    this.replay = null;
    this.frame = null;
    this.position = { ...this.position, since: Date.now() };
  }
}
