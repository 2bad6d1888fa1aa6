/**
 * Contestant 1, the floor: a bare node:http server making the same upstream calls with
 * `undici.request` and answering JSON; what a hand-written REST proxy costs. No validation, no
 * schema, no retries: a cached token (renewed on 401), a keep-alive pool of the gateway's size, and
 * for the batch a Map for duplicates and a 60 s catalogue cache, as the gateway has.
 *
 *   PORT=4100 UPSTREAM=http://127.0.0.1:4099 node dist/bench-build/bench/contestants/floor.js
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool, request } from 'undici';
import { DEMO } from '../lib/scenarios.js';
import { type ClaimTable, openClaimTable } from './floor-ledger.js';

const port = Number(process.env.PORT ?? 4100);
const upstream = process.env.UPSTREAM ?? 'http://127.0.0.1:4099';
const pool = new Pool(upstream, { connections: 128 });
const apps = `/v7/apps/${DEMO.clientId}`;

let token: Promise<string> | undefined;
function accessToken(): Promise<string> {
  token ??= (async () => {
    const response = await request(`${upstream}/v7/oauth/token`, {
      dispatcher: pool,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${DEMO.clientId}&client_secret=${DEMO.clientSecret}`,
    });
    return ((await response.body.json()) as { access_token: string }).access_token;
  })();
  return token;
}

type Json = Record<string, unknown>;

async function onestore(method: 'GET' | 'POST', path: string, body?: string): Promise<Json> {
  for (let attempt = 0; ; attempt++) {
    const current = await accessToken();
    const response = await request(`${upstream}${apps}${path}`, {
      dispatcher: pool,
      method,
      headers: { authorization: `Bearer ${current}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body }),
    });
    const answer = (await response.body.json()) as Json;
    if (response.statusCode === 401 && attempt === 0) {
      token = undefined;
      continue;
    }
    if (response.statusCode >= 300) throw Object.assign(new Error('store error'), { answer });
    return answer;
  }
}

const details = (productId: string, purchaseToken: string) =>
  onestore(
    'GET',
    `/purchases/inapp/products/${encodeURIComponent(productId)}/${encodeURIComponent(purchaseToken)}`,
  );

function shape(p: Json) {
  return {
    purchaseState: p.purchaseState,
    consumptionState: p.consumptionState,
    acknowledgeState: p.acknowledgeState,
    quantity: p.quantity,
    developerPayload: p.developerPayload,
    purchaseTime: p.purchaseTime,
    entitlement: { active: p.purchaseState === 0 && p.consumptionState === 0 },
  };
}

let catalog: { at: number; items: Promise<Json[]> } | undefined;
function items(): Promise<Json[]> {
  if (!catalog || Date.now() - catalog.at > 60_000) {
    const loading = (async () => {
      const response = await request(`${upstream}/standard/item/list/${DEMO.appSeq}`, {
        dispatcher: pool,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      });
      const answer = (await response.body.json()) as { result?: { itemList?: Json[] } };
      return answer.result?.itemList ?? [];
    })();
    catalog = { at: Date.now(), items: loading };
  }
  return catalog.items;
}

interface Ref {
  productId: string;
  purchaseToken: string;
}

async function check(refs: Ref[]) {
  const distinct = new Map<string, Promise<Json>>();
  for (const r of refs) {
    const key = `${r.productId}\u0000${r.purchaseToken}`;
    if (!distinct.has(key)) distinct.set(key, details(r.productId, r.purchaseToken));
  }
  const list = await items();
  return Promise.all(
    refs.map(async (r, index) => {
      const p = await distinct.get(`${r.productId}\u0000${r.purchaseToken}`);
      const item = list.find((i) => i.marketItemId === r.productId && i.marketId === 'TS');
      const shaped = p ? shape(p) : null;
      return {
        index,
        active: shaped?.entitlement.active ?? false,
        purchase: shaped && {
          ...shaped,
          item: item && { name: item.itemName, marketItemId: item.marketItemId },
        },
      };
    }),
  );
}

/** (e): the lookups of one request, each distinct purchase read once (as DataLoader does). */
async function lookups(refs: Ref[]) {
  const distinct = new Map<string, Promise<Json>>();
  for (const r of refs) {
    const key = `${r.productId}\u0000${r.purchaseToken}`;
    if (!distinct.has(key)) distinct.set(key, details(r.productId, r.purchaseToken));
  }
  return Promise.all(
    refs.map(async (r) => shape(await (distinct.get(`${r.productId}\u0000${r.purchaseToken}`) ?? {}))),
  );
}

/** Opened on the first redemption only, so the other scenarios' memory is not charged for it. */
let claims: Promise<ClaimTable> | undefined;

/** (f): verify, claim in SQL, consume with undici.request, mark settled. */
async function redeem(ref: Ref, userId: string) {
  const purchase = await details(ref.productId, ref.purchaseToken);
  if (purchase.purchaseState !== 0 || purchase.consumptionState !== 0) return { status: 'NOT_REDEEMABLE' };
  claims ??= openClaimTable();
  const table = await claims;
  if (!(await table.claim(ref.purchaseToken, userId))) return { status: 'ALREADY_CLAIMED' };
  const path = `/purchases/inapp/products/${encodeURIComponent(ref.productId)}/${encodeURIComponent(ref.purchaseToken)}/consume`;
  await onestore('POST', path, '{}');
  await table.settle(ref.purchaseToken);
  return { status: 'SETTLED', productId: ref.productId, quantity: purchase.quantity };
}

async function readJson(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  const ref = { productId: String(body.productId), purchaseToken: String(body.purchaseToken) };
  let answer: unknown;
  if (req.url === '/purchase') answer = shape(await details(ref.productId, ref.purchaseToken));
  else if (req.url === '/check') answer = { checks: await check(body.checks as Ref[]) };
  else if (req.url === '/lookups') answer = { lookups: await lookups(body.lookups as Ref[]) };
  else if (req.url === '/redeem') answer = await redeem(ref, String(body.userId));
  else if (req.url === '/consume') {
    const path = `/purchases/inapp/products/${encodeURIComponent(ref.productId)}/${encodeURIComponent(ref.purchaseToken)}/consume`;
    await onestore('POST', path, '{}');
    answer = shape(await details(ref.productId, ref.purchaseToken));
  } else {
    res.writeHead(404).end();
    return;
  }
  const text = JSON.stringify(answer);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  handle(req, res).catch((error: unknown) => {
    const text = JSON.stringify({ error: String(error) });
    res.writeHead(502, { 'content-type': 'application/json' }).end(text);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => console.log(`floor listening on ${port}`));
process.once('SIGTERM', () => process.exit(0));
