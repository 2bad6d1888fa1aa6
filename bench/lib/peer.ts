/**
 * The peer contestant: Hive Gateway (its CLI) serving a supergraph that Mesh Compose builds from
 * bench/peer/onestore-openapi.yaml, as the Hive Gateway and Mesh docs describe. It lives in
 * bench/peer/ with its own package.json and lockfile: the bench installs it there (`npm ci`) on
 * first use, so the project's own `npm ci` never does.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PEER_DIR = resolve('bench/peer');
const GATEWAY_BIN = join(PEER_DIR, 'node_modules/@graphql-hive/gateway/dist/bin.js');
const COMPOSE_BIN = join(PEER_DIR, 'node_modules/@graphql-mesh/compose-cli/esm/bin.js');

/** Installs the peer from its lockfile when it is not installed yet (a minute or two, once). */
export async function installPeer(): Promise<void> {
  if (existsSync(GATEWAY_BIN) && existsSync(COMPOSE_BIN)) return;
  console.log('installing the peer (bench/peer: npm ci) ...');
  // No install scripts: nothing of the peer needs a native build for what the bench uses.
  await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: PEER_DIR,
    maxBuffer: 16 << 20,
  });
}

/**
 * Composes the supergraph against `sandboxUrl` into `tmp` and answers the node arguments that
 * serve it on `port`. The gateway runs in `tmp` so it does not pick up bench/peer/mesh.config.ts
 * (a config file in its working directory would be loaded into the server).
 */
export async function peerCommand(
  sandboxUrl: string,
  tmp: string,
  port: number,
): Promise<{ args: string[]; cwd: string }> {
  await installPeer();
  const supergraph = join(tmp, 'peer-supergraph.graphql');
  await run(process.execPath, [COMPOSE_BIN, '-o', supergraph], {
    cwd: PEER_DIR,
    env: { ...process.env, PEER_UPSTREAM: sandboxUrl },
    maxBuffer: 16 << 20,
  });
  return {
    args: [
      GATEWAY_BIN,
      'supergraph',
      supergraph,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--fork',
      '1',
    ],
    cwd: tmp,
  };
}
