/**
 * The company the credit tab shows: set by the panel's lists and by a click on the map layer
 * `credit` (which knows no panel), read by the panel.
 */
class CreditSelection {
  companyId = $state<number | null>(null);
  /** bumped when the layer's data should reload (a recomputation, a new month) */
  period = $state<string | null>(null);
}

export const creditSelection = new CreditSelection();
