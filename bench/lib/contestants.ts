/**
 * The contestants of `npm run bench`: what each is, how it is started (pinned to the server core,
 * `NODE_ENV=production` and, for the gateway, the node flags of the Docker image's CMD, as deployed)
 * and which scenarios it can answer.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dockerNodeFlags } from './docker-flags.js';
import { peerCommand } from './peer.js';
import type { ContestantKind, ScenarioName } from './scenarios.js';

export interface Contestant {
  kind: ContestantKind;
  /** Compiled script under dist/bench-build/bench/contestants/ (not for the peer). */
  script?: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
  /** Run with the node flags of the Docker image's CMD (bench/lib/docker-flags.ts). Default false. */
  dockerFlags?: boolean;
  /** Only these scenarios (default: every scenario its kind answers). */
  only?: ScenarioName[];
  /** Not these: variants whose lever has nothing to do with the scenario. */
  skip?: ScenarioName[];
}

const REDEEM: ScenarioName[] = ['f-redeem'];

export const CONTESTANTS: Record<string, Contestant> = {
  floor: { kind: 'rest', script: 'floor.js' },
  /** The floor of (f) on PostgreSQL (BENCH_DATABASE_URL); `floor` runs (f) on SQLite. */
  'floor-pg': { kind: 'rest', script: 'floor.js', env: { FLOOR_LEDGER: 'postgres' }, only: REDEEM },
  naive: { kind: 'naive', script: 'naive-graphql.js' },
  'yoga-undici': { kind: 'naive', script: 'naive-graphql.js', env: { NAIVE_UNDICI: '1' } },
  /** Hive Gateway over an OpenAPI description of the sandbox (bench/peer/). */
  peer: { kind: 'peer' },
  gateway: { kind: 'gateway', script: 'gateway.js', dockerFlags: true },
  /** The default gateway with its grant ledger on PostgreSQL (BENCH_DATABASE_URL), for (f) only. */
  'gateway-pg': {
    kind: 'gateway',
    script: 'gateway.js',
    dockerFlags: true,
    env: { GATEWAY_LEDGER: 'postgres' },
    only: REDEEM,
  },
  'gateway-no-parse-cache': {
    kind: 'gateway',
    script: 'gateway.js',
    dockerFlags: true,
    env: { GATEWAY_PARSE_CACHE: '0' },
    skip: REDEEM,
  },
  'gateway-no-jit': {
    kind: 'gateway',
    script: 'gateway.js',
    dockerFlags: true,
    env: { GATEWAY_JIT: '0' },
    skip: REDEEM,
  },
  /** The gateway without the Docker image's flags: V8 sizes the heap from the machine's memory. */
  'gateway-v8-default': { kind: 'gateway', script: 'gateway.js', skip: REDEEM },
  /**
   * A/B runs: the gateway contestant of another build, `BENCH_BASELINE=<dir>` holding a copy of an
   * older dist/bench-build (inside the work tree, so its imports resolve to node_modules/). It runs
   * with the flags of `<dir>/Dockerfile` when that file exists (copy the build's Dockerfile there),
   * else with none (a build from before the image set any).
   */
  'gateway-baseline': { kind: 'gateway', script: 'gateway.js' },
};

/** The node flags a contestant runs with: its own, then the Dockerfile's of its build. */
function nodeFlags(name: string, c: Contestant, baseline: string): string[] {
  const own = c.nodeArgs ?? [];
  if (c.dockerFlags) return [...dockerNodeFlags(), ...own];
  const baselineDockerfile = resolve(baseline, 'Dockerfile');
  if (name === 'gateway-baseline' && existsSync(baselineDockerfile))
    return [...dockerNodeFlags(readFileSync(baselineDockerfile, 'utf8')), ...own];
  return own;
}

export interface StartOptions {
  port: number;
  core: number;
  sandboxUrl: string;
  /** A scratch folder of this run (the peer's supergraph, ledgers). */
  tmp: string;
  databaseUrl: string | undefined;
}

/** Starts `name` and answers once it printed that it listens. */
export async function startContestant(name: string, o: StartOptions): Promise<ChildProcess> {
  const c = CONTESTANTS[name];
  if (!c) throw new Error(`unknown contestant ${name}; known: ${Object.keys(CONTESTANTS).join(', ')}`);
  const prof = process.env.BENCH_CPU_PROF;
  const profArgs = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  let args: string[];
  let cwd: string | undefined;
  if (c.kind === 'peer') {
    const peer = await peerCommand(o.sandboxUrl, o.tmp, o.port);
    args = [...profArgs, ...peer.args];
    cwd = peer.cwd;
  } else {
    const baseline = process.env.BENCH_BASELINE ?? 'dist/ab-before';
    const base = name === 'gateway-baseline' ? baseline : 'dist/bench-build';
    // BENCH_NODE_ARGS: more node arguments for every contestant but the peer (e.g. `-r ./probe.cjs`).
    const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const script = resolve(base, 'bench/contestants', c.script ?? '');
    args = [...nodeFlags(name, c, baseline), ...extra, ...profArgs, script];
  }
  const child = spawn('taskset', ['-c', String(o.core), process.execPath, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    ...(cwd !== undefined && { cwd }),
    // As deployed (the Dockerfile sets it): graphql-js and Yoga skip their development-mode checks.
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ...c.env,
      PORT: String(o.port),
      UPSTREAM: o.sandboxUrl,
      BENCH_TMP: o.tmp,
      ...(o.databaseUrl !== undefined && { BENCH_DATABASE_URL: o.databaseUrl }),
    },
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`exited with ${String(code)}`);
  });
  exited.catch(() => undefined);
  try {
    // The peer logs a few lines before it listens: read until one says so.
    let seen = '';
    while (!/listening/i.test(seen)) {
      const [chunk] = (await Promise.race([once(child.stdout ?? child, 'data'), exited])) as [Buffer];
      seen += chunk.toString();
    }
  } catch (error) {
    throw new Error(`${name} did not start: ${String(error)}`);
  } finally {
    clearTimeout(timer);
  }
  child.stdout?.resume();
  return child;
}

export async function stopContestant(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
