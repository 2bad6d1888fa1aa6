import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_WEBHOOK_SECRET } from '../../src/server/sandbox-mode.js';
import { npmStart } from '../helpers/npm-start.js';
import { type Receiver, startReceiver, verifyStandard } from '../helpers/webhook-receiver.js';

let receiver: Receiver | undefined;
afterAll(async () => {
  await receiver?.close();
});

/** `npm start` in sandbox mode with `env` (the test's own gateway variables removed). */
const npm = npmStart();
const start = (env: Record<string, string>) => npm({ PORT: '0', ...env });

async function until(output: () => string, pattern: RegExp): Promise<RegExpExecArray> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`not printed: ${pattern}\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const REDEEM = `mutation { redeemPurchase(input: {app: "demo", userId: "AS@DEMOUSER0001", gamebase: {paymentSeq: "2026112310000001", purchaseToken: "demo-gb-token-gem100-1"}}) { __typename ... on RedeemPurchaseSuccess { grant { id } } } }`;

describe('SANDBOX_WEBHOOK_URL: webhooks in sandbox mode with one variable (issue 28 point 4)', () => {
  it('prints the endpoint and its secret, and a receiver verifies the events with the standardwebhooks package alone', async () => {
    receiver = await startReceiver();
    const { child, output } = start({ SANDBOX_WEBHOOK_URL: receiver.url });
    const [, url] = await until(output, /^Entitlement gateway on (\S+)/m);
    const [, printedUrl, secret] = await until(
      output,
      /^ {2}Webhooks: {2}every event of app demo is POSTed to (\S+), signed \(Standard Webhooks\) with (\S+)$/m,
    );
    expect(printedUrl).toBe(receiver.url);
    expect(secret).toBe(DEFAULT_SANDBOX_WEBHOOK_SECRET);
    const answer = await fetch(url ?? '', {
      method: 'POST',
      headers: { authorization: 'Bearer demo-key', 'content-type': 'application/json' },
      body: JSON.stringify({ query: REDEEM }),
    });
    const grantId = ((await answer.json()) as { data: { redeemPurchase: { grant: { id: string } } } }).data
      .redeemPurchase.grant.id;
    await receiver.until((r) => r.filter((x) => x.body.grant?.id === grantId).length >= 2, 30_000);
    const got = receiver.received.filter((x) => x.body.grant?.id === grantId);
    expect(got.map((x) => x.type)).toEqual(['GRANT_CREATED', 'GRANT_SETTLED']);
    // The printed secret, as printed, is all the receiver needs.
    for (const x of got) expect(verifyStandard(x, secret ?? '')).toBe(true);
    child.kill('SIGKILL');
  });

  it('without it, the banner says how to turn webhooks on', async () => {
    const { child, output } = start({});
    await until(
      output,
      /^ {2}Webhooks: {2}off \(SANDBOX_WEBHOOK_URL=<receiver URL> sends every event of app demo there, signed\)$/m,
    );
    child.kill('SIGKILL');
  });
});
