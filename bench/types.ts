/**
 * One line of `npm run bench`. Each benchmark measures the product and a baseline side by side
 * in the same run, on the same inputs, and reports their ratio (never a bare time).
 */
export interface BenchRow {
  name: string;
  /** The ratio or figure the issue asks for. */
  value: number;
  unit: string; // 'x' for ratios, 'rows/s', 'MB', ...
  /** Human-readable target, e.g. '>= 0.8'. */
  target?: string;
  ok?: boolean;
  /** The raw numbers behind the ratio, for the note. */
  detail?: string;
}

export type Bench = () => Promise<BenchRow[]>;
