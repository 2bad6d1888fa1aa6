import { expect } from 'vitest';
import { StoreApiError } from '../../src/stores/errors.js';
import { failure } from './stores.js';

/**
 * Asserts that `call` fails with the StoreApiError an envelope store (NHN Cloud, Gamebase) makes of
 * a result code: always answered with HTTP 200, holding `fields` (store, code, resultCode, …).
 */
export async function expectResultCodeError(
  call: Promise<unknown>,
  fields: { store: 'nhncloud' | 'gamebase'; code: string; resultCode: number } & Record<string, unknown>,
): Promise<void> {
  const err = await failure(call);
  expect(err).toBeInstanceOf(StoreApiError);
  expect(err).toMatchObject({ kind: 'StoreApiError', ...fields, httpStatus: 200 });
}
