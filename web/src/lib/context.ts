import { getContext, setContext } from 'svelte';
import type { AppState } from './state/app.svelte.ts';

const KEY = Symbol('minqing-app');

export function provideApp(app: AppState): AppState {
  return setContext(KEY, app);
}

export function useApp(): AppState {
  const app = getContext<AppState | undefined>(KEY);
  if (!app) throw new Error('useApp() outside <App>');
  return app;
}
