/** A column of a sortable table (SortTable.svelte): how to read, sort and show one value. */
export interface Column<Row> {
  key: string;
  label: string;
  value: (row: Row) => number | string | null;
  /** shown text; default: the value */
  text?: (row: Row) => string;
  numeric?: boolean;
}
