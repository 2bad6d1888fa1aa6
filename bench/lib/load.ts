/**
 * The load generator: autocannon in its own process pinned to one core (`taskset`), so it never
 * competes with the contestant. `runLoad` spawns this file; run as a script it reads a LoadSpec
 * (JSON, argv[2]), runs autocannon and prints one JSON line of figures.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Each request replaces `__TOKEN__` in `body` with the next token of this file (one per line). */
  tokensFile?: string;
  connections: number;
  seconds: number;
  /** Stop after this many requests instead of after `seconds` (a pool of one-use tokens). */
  amount?: number;
}

export interface LoadFigures {
  rps: number;
  p50: number;
  p99: number;
  /** Completed requests (any status). */
  total: number;
  non2xx: number;
  errors: number;
  seconds: number;
}

interface Histogram {
  average: number;
  p50: number;
  p99: number;
  total: number;
}
interface AutocannonResult {
  requests: Histogram;
  latency: Histogram;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface RequestData {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: RequestData) => RequestData;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

const run = promisify(execFile);

/** Runs one load on `core` and answers its figures. */
export async function runLoad(spec: LoadSpec, core: number): Promise<LoadFigures> {
  // Under tsx this module is TypeScript: the worker always runs the compiled copy.
  const self = fileURLToPath(import.meta.url);
  const worker = self.endsWith('.ts') ? resolve('dist/bench-build/bench/lib/load.js') : self;
  const { stdout } = await run(
    'taskset',
    ['-c', String(core), process.execPath, worker, JSON.stringify(spec)],
    {
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as LoadFigures;
}

async function main(spec: LoadSpec): Promise<void> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const request: RequestData = { method: spec.method, path: spec.path, headers: spec.headers };
  if (spec.body !== undefined) request.body = spec.body;
  if (spec.tokensFile !== undefined) {
    const tokens = readFileSync(spec.tokensFile, 'utf8').split('\n').filter(Boolean);
    const template = spec.body ?? '';
    let next = 0;
    request.setupRequest = (r) => {
      const token = tokens[next++ % tokens.length] ?? '';
      return { ...r, body: template.replace('__TOKEN__', token) };
    };
  }
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    ...(spec.amount !== undefined && { amount: spec.amount }),
    requests: [request],
    timeout: 30,
  });
  const figures: LoadFigures = {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds: result.duration,
  };
  console.log(JSON.stringify(figures));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main(JSON.parse(process.argv[2] ?? '{}') as LoadSpec);
}
