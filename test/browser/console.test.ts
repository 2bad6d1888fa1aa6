import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/server/api-keys.js';
import { createGateway } from '../../src/server/create-gateway.js';
import { DEMO_APP, startSandboxMode } from '../../src/server/sandbox-mode.js';
import { type BrowserPage, CHROMIUM, HAVE_CHROMIUM, openPage } from '../helpers/chromium.js';
import { useStarted } from '../helpers/gateway-suite.js';
import { type LedgerBackend, ledgerBackends } from '../helpers/ledger.js';
import { ledgerFor } from '../helpers/redeem.js';

/**
 * The support console (issue 27) in Chromium, as a support person uses it, over real HTTP against
 * sandbox mode: look a player up, grant `vip` for 7 days with a reason, revoke a store grant with a
 * reason, redeliver an event; and a key without the `support` scope gets the refusal and no data.
 * The browser's clock is stopped, so the end it computes for "7 days" is exact; the ledger's times
 * are the grant's own (its database clock), read from the API.
 * Screenshots go to a temporary directory, never into the repository.
 */

const DEMO_USER = 'AS@DEMOUSER0001';
const READ_KEY = 'console-browser-read-key';
const DAY_MS = 86_400_000;
const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
/** Where this run's screenshots go (printed once, for a person to look at). */
const SHOTS = mkdtempSync(join(tmpdir(), 'gateway-console-shots-'));

async function startConsolePage(backend: LedgerBackend) {
  const mode = await startSandboxMode();
  const ledger = await ledgerFor(backend);
  const config = {
    ...mode.config,
    apiKeys: [
      ...mode.config.apiKeys,
      { name: 'reader', sha256: sha256Hex(READ_KEY), apps: [DEMO_APP], scopes: ['read' as const] },
    ],
  };
  const gateway = createGateway(config, { ...mode.options, ledger });
  const server: Server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await openPage(origin);
  return {
    mode,
    origin,
    browser,
    close: async () => {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      await gateway.dispose();
      await ledger.db.close();
      await backend.cleanup();
      await mode.sandbox.close();
    },
  };
}

type Page = BrowserPage['page'];

/** A table's body as rows of cell texts (the last cell's button label included). */
const rows = (page: Page, table: string) =>
  page.$$eval(`#${table} tbody tr`, (trs) =>
    trs.map((tr) => [...(tr as HTMLTableRowElement).cells].map((c) => c.textContent ?? '')),
  );

const title = HAVE_CHROMIUM
  ? 'The support console in Chromium'
  : `The support console in Chromium: SKIPPED, no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run does)`;

if (!HAVE_CHROMIUM) console.warn(title);

for (const backend of ledgerBackends())
  describe.skipIf(!HAVE_CHROMIUM || backend.skip)(`${title}, ledger on ${backend.name}`, () => {
    const served = useStarted(() => startConsolePage(backend), 60_000);

    /** A Gamebase gem purchase redeemed through the API, as a game server would: gem_bonus for 7 days. */
    async function redeemGems(): Promise<{ id: string; createdAt: string }> {
      const answer = await fetch(`${served.origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${served.mode.apiKey}` },
        body: JSON.stringify({
          query: `mutation { redeemPurchase(input: { app: "demo", userId: "${DEMO_USER}", gamebase: {
          paymentSeq: "2026112310000001", purchaseToken: "demo-gb-token-gem100-1", productId: "gem_100" } })
          { __typename ... on RedeemPurchaseSuccess { grant { id status createdAt } } } }`,
        }),
      });
      const body = (await answer.json()) as {
        data: {
          redeemPurchase: { __typename: string; grant: { id: string; status: string; createdAt: string } };
        };
      };
      expect(body.data.redeemPurchase).toMatchObject({
        __typename: 'RedeemPurchaseSuccess',
        grant: { status: 'SETTLED' },
      });
      return body.data.redeemPurchase.grant;
    }

    /**
     * The events table without the ENTITLEMENT_* rows: the entitlement events worker writes those a
     * moment after each change (woken by its commit), so whether a row is there yet depends on timing.
     */
    const factEvents = async (page: Page) =>
      (await rows(page, 'events')).filter((r) => !r[0]?.startsWith('ENTITLEMENT_'));

    async function lookUp(page: Page, key: string) {
      await page.fill('#key', key);
      await page.fill('#app', DEMO_APP);
      await page.fill('#user', DEMO_USER);
      await page.click('#lookup button[type=submit]');
      // Done when the status has its kind (the CSP refuses waitForFunction's string evaluation).
      await page.waitForSelector('#status.ok, #status.error');
    }

    it('looks a player up, grants vip for 7 days with a reason, revokes a grant, redelivers an event', async () => {
      const { page, problems, offOrigin } = served.browser;
      const now = Date.now();
      const at = (ms: number) => new Date(ms).toISOString();
      await page.clock.setFixedTime(now);
      const { id: gemGrant, createdAt } = await redeemGems();
      const created = Date.parse(createdAt);

      await page.goto(`${served.origin}/console`);
      await lookUp(page, served.mode.apiKey);
      expect(await page.textContent('#status')).toBe(`Loaded ${DEMO_USER}.`);
      // The key stays in this tab's sessionStorage, never in the URL.
      expect(page.url()).toBe(`${served.origin}/console`);
      expect(await page.evaluate(() => sessionStorage.getItem('gateway-console-key'))).toBe(
        served.mode.apiKey,
      );
      expect(await rows(page, 'entitlements')).toEqual([
        ['gem_bonus', 'true', at(created + 7 * DAY_MS), createdAt, 'GRANT', 'GAMEBASE', 'gem_100'],
      ]);
      expect(await rows(page, 'grants')).toEqual([
        [gemGrant, 'GAMEBASE', 'gem_100', '1', 'SETTLED', 'CONSUMED', createdAt, '–', 'Revoke'],
      ]);
      expect((await factEvents(page)).map((r) => r.slice(0, 4))).toEqual([
        ['GRANT_SETTLED', ISO, 'gem_100', gemGrant],
        ['GRANT_CREATED', ISO, 'gem_100', gemGrant],
      ]);
      await page.screenshot({ path: join(SHOTS, '1-looked-up.png'), fullPage: true });

      // Grant vip for 7 days, with a reason.
      await page.fill('#grant-entitlement', 'vip');
      await page.fill('#grant-days', '7');
      await page.fill('#grant-reason', 'Compensation for the outage of 2026-12-01');
      await page.click('#grant button[type=submit]');
      await page.waitForSelector('#grant-result.ok, #grant-result.error');
      const granted = (await page.textContent('#grant-result')) ?? '';
      expect(granted).toMatch(
        new RegExp(
          `^Granted vip until ${at(now + 7 * DAY_MS).replace(/\./g, '\\.')} \\(grant [0-9a-f-]{36}\\)\\.$`,
        ),
      );
      const supportGrant = /\(grant ([0-9a-f-]{36})\)/.exec(granted)?.[1];
      expect(await rows(page, 'entitlements')).toContainEqual([
        'vip',
        'true',
        at(now + 7 * DAY_MS),
        ISO,
        'SUPPORT',
        '–',
        '–',
      ]);
      expect(await rows(page, 'support-grants')).toEqual([
        [
          supportGrant,
          'vip',
          ISO,
          at(now + 7 * DAY_MS),
          'Compensation for the outage of 2026-12-01',
          'demo',
          '–',
          'Revoke',
        ],
      ]);
      const events = await factEvents(page);
      expect(events[0]?.slice(0, 4)).toEqual(['SUPPORT_GRANT_CREATED', ISO, 'vip', supportGrant]);
      // The worker's ENTITLEMENT_GRANTED of vip follows: looked up again, it is there.
      let entitlementEvents: string[][] = [];
      for (let attempt = 0; attempt < 50 && entitlementEvents.length === 0; attempt++) {
        await lookUp(page, served.mode.apiKey);
        entitlementEvents = (await rows(page, 'events')).filter(
          (r) => r[0] === 'ENTITLEMENT_GRANTED' && r[2] === 'vip',
        );
        if (entitlementEvents.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(entitlementEvents.map((r) => r.slice(0, 3))).toEqual([['ENTITLEMENT_GRANTED', ISO, 'vip']]);
      await page.screenshot({ path: join(SHOTS, '2-granted.png'), fullPage: true });

      // Revoke the gem purchase's grant, with a reason: its GRANT_REVOKED event appears.
      await page.click(`#grants tbody tr:has(td:text-is("${gemGrant}")) button`);
      expect(await page.isVisible('#revoke')).toBe(true);
      expect(await page.textContent('#revoke-id')).toBe(gemGrant);
      await page.fill('#revoke-reason', 'Chargeback confirmed by the store');
      await page.click('#revoke button[type=submit]');
      await page.waitForSelector('#revoke-result.ok, #revoke-result.error');
      expect(await page.textContent('#revoke-result')).toBe(`Revoked ${gemGrant}.`);
      expect(await page.isHidden('#revoke')).toBe(true);
      // Its entitlement ended when it was revoked.
      const revokedAt = (await rows(page, 'grants')).find((r) => r[0] === gemGrant)?.[7];
      expect((await rows(page, 'entitlements')).find((r) => r[0] === 'gem_bonus')).toEqual([
        'gem_bonus',
        'false',
        revokedAt,
        createdAt,
        'GRANT',
        'GAMEBASE',
        'gem_100',
      ]);
      expect((await rows(page, 'grants')).find((r) => r[0] === gemGrant)?.slice(7)).toEqual([ISO, '']);
      expect((await factEvents(page))[0]?.slice(0, 4)).toEqual(['GRANT_REVOKED', ISO, 'gem_100', gemGrant]);

      // Revoke the support grant too: vip ends, SUPPORT_GRANT_REVOKED appears, the row says why and who.
      await page.click(`#support-grants tbody tr:has(td:text-is("${supportGrant}")) button`);
      await page.fill('#revoke-reason', 'Granted to the wrong player');
      await page.click('#revoke button[type=submit]');
      await page.waitForSelector(`#revoke-result.ok:text-is("Revoked ${supportGrant}.")`);
      const [revokedRow] = await rows(page, 'support-grants');
      expect(revokedRow?.slice(6)).toEqual([expect.stringMatching(/: Granted to the wrong player$/), '']);
      const vipEnded = (await rows(page, 'entitlements')).find((r) => r[0] === 'vip');
      expect(vipEnded?.slice(0, 2)).toEqual(['vip', 'false']);
      expect((await factEvents(page))[0]?.slice(0, 4)).toEqual([
        'SUPPORT_GRANT_REVOKED',
        ISO,
        'vip',
        supportGrant,
      ]);

      // Redeliver the newest event: sandbox mode has no webhook endpoint unless SANDBOX_WEBHOOK_URL is set, so none is queued.
      await page.click('#events tbody tr:first-child button');
      await page.locator('#events tbody tr:first-child td:nth-child(5)', { hasText: 'queued' }).waitFor();
      expect((await rows(page, 'events'))[0]?.[4]).toBe('queued again: no endpoint takes this type');
      await page.screenshot({ path: join(SHOTS, '3-revoked.png'), fullPage: true });

      expect(problems).toEqual([]);
      expect(offOrigin).toEqual([]);
      expect(new Set(served.browser.requested.map((r) => r.replace(/-[0-9a-f]{16}\./, '-<hash>.')))).toEqual(
        new Set([
          'GET /console',
          'GET /console/assets/console-<hash>.css',
          'GET /console/assets/console-<hash>.js',
          'POST /console/graphql',
        ]),
      );
    }, 120_000);

    it('shows a key without the support scope its refusal, and no data', async () => {
      const { page, problems } = served.browser;
      problems.length = 0;
      await page.goto(`${served.origin}/console`);
      await lookUp(page, READ_KEY);
      expect(await page.textContent('#status')).toBe('This API key lacks the "support" scope.');
      expect(await page.getAttribute('#status', 'class')).toBe('error');
      expect(await page.isHidden('#player')).toBe(true);
      expect(await rows(page, 'entitlements')).toEqual([]);
      // Two calls refused (the player and the app's undelivered webhooks are asked for at once).
      const refused = `${served.origin}/console/graphql`;
      expect(problems.sort()).toEqual([
        `HTTP 403: POST ${refused}`,
        `HTTP 403: POST ${refused}`,
        `console: Failed to load resource: the server responded with a status of 403 () (${refused})`,
        `console: Failed to load resource: the server responded with a status of 403 () (${refused})`,
      ]);
      await page.screenshot({ path: join(SHOTS, '4-refused.png'), fullPage: true });
      console.info(`console screenshots: ${SHOTS}`);
    }, 60_000);
  });
