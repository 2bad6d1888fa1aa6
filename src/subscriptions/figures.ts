// What the scheduler's ticks and refreshes did: the metrics, the scale benchmark and `player(refresh:)` read these.

/** What one tick did (the scale benchmark reads these; metrics count them). */
export interface TickFigures {
  /** Rows due that this scheduler leased. */
  claimed: number;
  /** Store calls made (answered or not): one per ONE store row, one per Gamebase batch of up to 10. */
  reads: number;
  /** Rows whose read failed (store error, timeout, left out of an answer): only their backoff was written. */
  failures: number;
  /** Good reads written (with their events). */
  written: number;
  /** Lifecycle events written. */
  events: number;
  /** Good reads whose write lost the compare-and-set (another replica wrote the row first): nothing written. */
  lost: number;
  /** Rows whose ledger write failed: left leased, read again once the lease runs out. */
  ledgerErrors: number;
  /** CPU this process spent in the tick (user + system), µs: includes the reads' client work. */
  cpuMicros: number;
}

/** What `refresh` did for one player: its rows' figures, and the rows another reader held. */
export interface PlayerRefresh {
  figures: TickFigures;
  busy: number;
}

/** Figures of no tick: the start of a sum. */
export const NO_FIGURES: Readonly<TickFigures> = {
  claimed: 0,
  reads: 0,
  failures: 0,
  written: 0,
  events: 0,
  lost: 0,
  ledgerErrors: 0,
  cpuMicros: 0,
};

/** Adds `figures` into `total`, field by field. */
export function addFigures(total: TickFigures, figures: Readonly<TickFigures>): void {
  for (const key of Object.keys(total) as (keyof TickFigures)[]) total[key] += figures[key];
}
