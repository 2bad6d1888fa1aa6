import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_WEBHOOK_SECRET } from '../../src/server/sandbox-mode.js';
import { signatureHeader } from '../../src/server/webhooks/signature.js';
import { type SandboxModeGateway, startSandboxModeGateway } from '../helpers/gateway-sandbox-mode.js';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver.js';

const REPO = resolve(import.meta.dirname, '../..');
const exec = promisify(execFile);
/** execFile, failing with the command's stderr and stdout (what a reader of the failure needs). */
const run = async (
  file: string,
  args: string[],
  options: { cwd: string; timeout?: number } = { cwd: REPO },
) => {
  try {
    return await exec(file, args, { ...options, encoding: 'utf8' });
  } catch (error) {
    const { stderr = '', stdout = '' } = error as { stderr?: string; stdout?: string };
    throw new Error(`${(error as Error).message}\nstderr: ${stderr}\nstdout: ${stdout}`);
  }
};
const PACKAGE = join(REPO, 'packages/client');
const TSC = join(REPO, 'node_modules/typescript/bin/tsc');

let dir = '';
let gateway: SandboxModeGateway | undefined;
let receiver: Receiver | undefined;
let listing: Server | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packed-client-'));
  receiver = await startReceiver();
  gateway = await startSandboxModeGateway({ webhookUrl: receiver.url });
  // What the receiver got, for the program's webhook check: the raw body and headers as they came.
  const got = receiver.received;
  listing = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    // gatewayV1: the gateway's own signer of the old scheme, for the client's check of it.
    const signed = got.map((r) => ({
      headers: r.headers,
      rawBody: r.rawBody,
      gatewayV1: signatureHeader(DEFAULT_SANDBOX_WEBHOOK_SECRET, r.rawBody, new Date()),
    }));
    res.end(JSON.stringify(signed));
  });
  await new Promise<void>((done) => listing?.listen(0, '127.0.0.1', done));
});

afterAll(async () => {
  await new Promise<void>((done) => (listing ? listing.close(() => done()) : done()));
  await gateway?.close();
  await receiver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packed client package (issue 28 point 2)', () => {
  it('installs from its tarball into an empty project, typechecks a program and runs redeem, a stream and a webhook check against sandbox mode', async () => {
    // npm pack runs prepack: the build copies the codegen output in and compiles with tsc.
    await run('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: PACKAGE });
    const tarball = (await readdir(dir)).find((f) => f.endsWith('.tgz'));
    expect(tarball).toBe('entitlement-gateway-client-0.1.0.tgz');

    const project = join(dir, 'app');
    await run('mkdir', ['-p', project]);
    await writeFile(
      join(project, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module' }, null, 2),
    );
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--ignore-scripts',
        join(dir, tarball ?? ''),
      ],
      {
        cwd: project,
        timeout: 120_000,
      },
    );
    await run('cp', [join(PACKAGE, 'example/main.ts'), join(project, 'main.ts')]);
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          // The package's own declarations are checked too, not only the program's use of them.
          skipLibCheck: false,
          // Node's types from the repository: the package itself needs none installed.
          typeRoots: [join(REPO, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['main.ts'],
      }),
    );
    await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project, timeout: 120_000 });

    const { url, apiKey } = gateway as SandboxModeGateway;
    const deliveries = `http://127.0.0.1:${((listing as Server).address() as AddressInfo).port}/`;
    const { stdout } = await run(
      process.execPath,
      ['main.js', url, apiKey, DEFAULT_SANDBOX_WEBHOOK_SECRET, deliveries],
      { cwd: project, timeout: 60_000 },
    );
    expect(stdout.split('\n')).toEqual([
      'redeem attempts: 2 sameKey=true',
      'redeem (first answer lost): alreadyRedeemed=true GAMEBASE gem_100 x1 SETTLED 1200 KRW',
      'redeem again: alreadyRedeemed=true sameGrant=true',
      'consume: status=0 attempts=1',
      'stream: GRANT_CREATED(PENDING) GRANT_SETTLED(SETTLED) over 2 connections',
      'webhook: GRANT_CREATED id=streamed GRANT_SETTLED id=streamed',
      'gateway-v1: GRANT_CREATED GRANT_SETTLED',
      'tampered: WebhookSignatureError',
      '',
    ]);
    // The gateway acted on every request whose answer the program lost: the grant once, the consume
    // once (sent once, not retried); and the player got gem_bonus once (the demo catalogue), told by
    // the entitlement events worker. Sorted: deliveries to one endpoint may overtake each other.
    await receiver?.until((r) => r.length >= 4);
    expect(receiver?.received.map((r) => r.type).sort()).toEqual([
      'ENTITLEMENT_GRANTED',
      'GRANT_CREATED',
      'GRANT_SETTLED',
      'PURCHASE_CONSUMED',
    ]);
  }, 240_000);
});
