import type { CodeReading, StoreApiError, StoreError, StoreName } from './errors.js';
import { readGamebaseCode } from './gamebase/codes.js';
import { readNhnCloudCode } from './nhncloud/codes.js';
import { readOneStoreCode } from './onestore/codes.js';

/**
 * Each store's one code table, by wire name: a store missing here is a compile error once it is in
 * the store definition (`src/vocabulary/stores.ts`).
 */
const TABLES: Record<StoreName, (code: string, endpoint: string) => CodeReading | undefined> = {
  onestore: readOneStoreCode,
  nhncloud: readNhnCloudCode,
  gamebase: readGamebaseCode,
};

/**
 * The store's own code of an error, as callers see it (`storeCode`): NHN and Gamebase errors carry
 * the result code's name in `code` and the number in `resultCode`; the tables and storeCode use the
 * number, as their documents do.
 */
export function storeCodeOf(error: StoreError): string {
  return error.resultCode !== undefined ? String(error.resultCode) : error.code;
}

/**
 * What the store's code table says of the code a store answered with, on that endpoint. A code no
 * table knows is read by what the store's client made of it: unavailable when retryable (the store's
 * own failure), else off-protocol.
 */
export function readStoreCode(error: StoreApiError): CodeReading {
  return (
    TABLES[error.store](storeCodeOf(error), error.endpoint) ?? {
      category: error.retryable ? 'UNAVAILABLE' : 'PROTOCOL',
    }
  );
}
