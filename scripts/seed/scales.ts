/**
 * Dataset sizes. Every scale has the real five districts, their 71 subdistricts and 568
 * communities; they differ in how finely communities are divided into grids and compounds, and in
 * the number of tickets. Every grid gets at least one compound, so the smallest scale still has
 * one compound per community.
 */
export type SeedScale = 'test' | 'demo' | 'city' | 'stress';
export const SEED_SCALES: readonly SeedScale[] = ['test', 'demo', 'city', 'stress'];

export interface ScaleConfig {
  /** Compounds to place (the result is close, never below one per community). */
  compounds: number;
  /** Tickets over the 12 months. */
  tickets: number;
  /** Property companies in the city. */
  companies: number;
  /** Average compounds per grid in urban communities. */
  compoundsPerGrid: number;
  /** Hazards per compound per year, on average. */
  hazardsPerCompound: number;
}

export const SCALES: Record<SeedScale, ScaleConfig> = {
  // Small enough for every test run to seed it (all real areas, one grid per community).
  test: {
    compounds: 150,
    tickets: 6_000,
    companies: 40,
    compoundsPerGrid: 99,
    hazardsPerCompound: 2,
  },
  // The first `npm start` seeds this on PGlite: it must take well under a minute.
  demo: {
    compounds: 420,
    tickets: 40_000,
    companies: 60,
    compoundsPerGrid: 1.6,
    hazardsPerCompound: 3,
  },
  city: {
    compounds: 4_500,
    tickets: 350_000,
    companies: 300,
    compoundsPerGrid: 1.5,
    hazardsPerCompound: 3,
  },
  stress: {
    compounds: 4_500,
    tickets: 3_500_000,
    companies: 300,
    compoundsPerGrid: 1.5,
    hazardsPerCompound: 3,
  },
};
