import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { standardHeaders } from '../../src/server/webhooks/signature.js';

const BODY = '{"id":"ev-1","type":"GRANT_CREATED"}';

describe('Standard Webhooks signatures, checked by the maintained library', () => {
  it("a secret in the specification's form (whsec_ + base64) is taken by the library as it is", () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const headers = standardHeaders(secret, 'ev-1', BODY, new Date());
    expect(new Webhook(secret).verify(BODY, headers)).toEqual(JSON.parse(BODY));
    expect(headers['webhook-id']).toBe('ev-1');
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
  });

  it("any other secret is its UTF-8 bytes: the library's raw format, or whsec_ + base64 of it (other languages)", () => {
    const secret = 'a-plain-secret-of-32-characters!';
    const headers = standardHeaders(secret, 'ev-1', BODY, new Date());
    expect(new Webhook(secret, { format: 'raw' }).verify(BODY, headers)).toEqual(JSON.parse(BODY));
    const asSpec = `whsec_${Buffer.from(secret).toString('base64')}`;
    expect(new Webhook(asSpec).verify(BODY, headers)).toEqual(JSON.parse(BODY));
    // Signed over id.timestamp.body: another id with the same signature fails.
    expect(() => new Webhook(asSpec).verify(BODY, { ...headers, 'webhook-id': 'ev-2' })).toThrow();
  });

  it("the signature is the library's own for the same id, time and body", () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const at = new Date('2026-12-07T00:00:00Z');
    expect(standardHeaders(secret, 'ev-9', BODY, at)['webhook-signature']).toBe(
      new Webhook(secret).sign('ev-9', at, BODY),
    );
  });
});
