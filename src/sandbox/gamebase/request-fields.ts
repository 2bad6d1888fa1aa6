import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isRecord, parseJson, readBody } from '../http-io.js';
import { GamebaseFailure } from './codes.js';
import { STORE_CODES, type StoreCode } from './state.js';

/** Request fields the Gamebase endpoints read alike, each refused with the guide's result code. */

export const DIGITS = /^\d{1,20}$/;
const MAX_TEXT = 2048;

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function jsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const body = await readBody(req, limit);
  if (!body.ok) throw new GamebaseFailure(-4150001);
  const parsed = parseJson(body.raw);
  if (!parsed.ok || !isRecord(parsed.value)) throw new GamebaseFailure(-4150001);
  return parsed.value;
}

/** A required String field: another JSON type is -4000001, absent or empty is 1100. */
export function text(value: unknown): string {
  if (value === undefined || value === null || value === '') throw new GamebaseFailure(1100);
  if (typeof value !== 'string') throw new GamebaseFailure(-4000001);
  if (value.length > MAX_TEXT) throw new GamebaseFailure(1100);
  return value;
}

function storeCode(value: unknown): StoreCode {
  if (typeof value !== 'string') throw new GamebaseFailure(-4000001);
  const code = STORE_CODES.find((c) => c === value);
  if (!code) throw new GamebaseFailure(1100);
  return code;
}

/** An optional Array[String] field: another JSON type is -4000001. */
export function textList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new GamebaseFailure(-4000001);
  return value;
}

/**
 * `marketIds` empty or null means every store; List Consumables adds "all stores must be listed
 * explicitly when retrieving all stores including AMAZON", so its default leaves AMAZON out
 * (`amazonByDefault` false); List Active Subscriptions says only "all stores". The deprecated
 * `marketId` adds its store.
 */
export function marketsOf(body: Record<string, unknown>, amazonByDefault = false): Set<StoreCode> {
  const listed = textList(body.marketIds).map(storeCode);
  if (body.marketId !== undefined && body.marketId !== null) listed.push(storeCode(body.marketId));
  if (listed.length > 0) return new Set(listed);
  return new Set(STORE_CODES.filter((c) => amazonByDefault || c !== 'AMAZON'));
}
