import type { Market, StoreTime } from './records.js';

const KST_OFFSET_MS = 9 * 3_600_000;

/**
 * Reads ONE store millisecond values as UTC. The document: response times are based on UTC+09
 * under MKT_ONE and UTC+00 under MKT_GLB. With basis `market` an MKT_ONE value is Korean wall-clock
 * time written as epoch millis, so 9 h are taken off; with `epoch` values are used as they are.
 */
export class TimeBasis {
  constructor(
    readonly basis: 'market' | 'epoch',
    readonly market: Market,
  ) {}

  get offsetMs(): number {
    return this.basis === 'market' && this.market === 'MKT_ONE' ? KST_OFFSET_MS : 0;
  }

  toUtc(millis: number): Date {
    return new Date(millis - this.offsetMs);
  }

  toUtcOrNull(millis: number | null | undefined): Date | null {
    return millis === null || millis === undefined ? null : this.toUtc(millis);
  }

  /** A UTC instant as the store expects it in a query (startTime/endTime). */
  toStore(date: Date): number {
    return date.getTime() + this.offsetMs;
  }

  /** The raw values present in a payload, for `storeTimes`. */
  collect(fields: Record<string, number | null | undefined>): StoreTime[] {
    const out: StoreTime[] = [];
    for (const [field, millis] of Object.entries(fields)) {
      if (typeof millis === 'number') out.push({ field, millis });
    }
    return out;
  }
}
