import { describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/raw-http.js';
import { useSandbox } from '../helpers/sandbox-hooks.js';

/**
 * The sandbox's own server (it shares no code with the gateway's) and request-targets that are not
 * origin-form. It never builds a URL from the Host header, so a malformed Host cannot fail it; the
 * absolute-form (RFC 9112 §3.2.2: a server MUST accept it) is served as its path; anything else is
 * the store's JSON 404. Never a 500, never a stack trace.
 */

const h = useSandbox();

describe('request-targets at the sandbox', () => {
  it('an absolute-form target is served as its path: the control API and a store endpoint', async () => {
    const stats = await rawRequest(h.url, { method: 'GET', path: 'http://sandbox.example/sandbox/v1/stats' });
    expect(stats.status).toBe(200);
    expect(stats.json).toMatchObject({ total: expect.any(Number) });
    const before = await h.count('onestore.token');
    const token = await rawRequest(h.url, {
      method: 'POST',
      path: 'HTTP://sandbox.example:8080/v7/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=nobody&client_secret=x',
    });
    expect(token.status, token.text).not.toBe(404);
    expect(await h.count('onestore.token')).toBe(before + 1);
  });

  it('OPTIONS *, a userinfo and a malformed Host: JSON answers, no 500, no stack trace', async () => {
    const answers = [
      await rawRequest(h.url, { method: 'OPTIONS', path: '*' }),
      await rawRequest(h.url, { method: 'GET', path: 'http://user@sandbox.example/sandbox/v1/stats' }),
      ...(await Promise.all(
        ['[', 'a b', 'x:99999'].map((host) =>
          rawRequest(h.url, { method: 'GET', path: '/v7/apps/x/purchases/y', headers: { host } }),
        ),
      )),
    ];
    for (const answer of answers) {
      expect(answer.status, answer.text).toBeLessThan(500);
      expect(answer.json, answer.text).toBeDefined();
      expect(answer.text).not.toMatch(/\n\s+at /);
    }
    expect(answers[0]?.status).toBe(404);
    expect(answers[1]?.status).toBe(404);
  });
});
