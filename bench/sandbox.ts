/**
 * How many getPurchaseDetails per second the sandbox serves on one core, so later gateway
 * benchmarks know the sandbox is not their bottleneck.
 *
 *   npm run bench:sandbox      (builds first: the sandbox runs as compiled JavaScript, as in production)
 *
 * The sandbox runs pinned to core 0 and the load generator to core 1. The generator is wrk
 * (`apt-get install wrk`): a Node load generator on one core saturates before the sandbox does.
 * Options (env): BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 50), BENCH_RUNS (default 3).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const port = 4099;
const base = `http://127.0.0.1:${port}`;
const run = promisify(execFile);

async function startServer(): Promise<ChildProcess> {
  const args = ['-c', '0', process.execPath, 'dist/sandbox/cli.js', '--port', String(port)];
  const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout ?? child, 'data')) as [Buffer];
  if (!chunk.toString().includes('listening')) throw new Error(`sandbox did not start: ${chunk.toString()}`);
  return child;
}

async function token(): Promise<string> {
  const response = await fetch(`${base}/v7/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&client_id=com.example.demo.game&client_secret=sandbox-demo-secret',
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

interface Figures {
  rps: number;
  p50: string;
  p99: string;
}

async function wrk(accessToken: string, duration: number): Promise<Figures> {
  const url = `${base}/v7/apps/com.example.demo.game/purchases/inapp/products/gem_100/DEMOINAPP00000000001`;
  const { stdout } = await run('taskset', [
    ...['-c', '1', 'wrk', '-t1', `-c${connections}`, `-d${duration}s`, '--latency'],
    ...['-H', `Authorization: Bearer ${accessToken}`, '-H', 'Content-Type: application/json', url],
  ]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? Number.NaN);
  const p50 = /^\s+50%\s+(\S+)/m.exec(stdout)?.[1] ?? '?';
  const p99 = /^\s+99%\s+(\S+)/m.exec(stdout)?.[1] ?? '?';
  return { rps, p50, p99 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const server = await startServer();
try {
  const accessToken = await token();
  await wrk(accessToken, 3); // warm-up: JIT and connection set-up
  const results: Figures[] = [];
  for (let i = 0; i < runs; i++) results.push(await wrk(accessToken, seconds));
  const stats = (await (await fetch(`${base}/sandbox/v1/stats`)).json()) as {
    byStatus: Record<string, number>;
  };
  console.log(`sandbox getPurchaseDetails: wrk 1 thread, ${connections} connections, ${seconds}s x ${runs}`);
  console.log('run | req/s | p50 | p99');
  results.forEach((r, i) => {
    console.log(`${i + 1} | ${Math.round(r.rps)} | ${r.p50} | ${r.p99}`);
  });
  console.log(`median req/s: ${Math.round(median(results.map((r) => r.rps)))}`);
  console.log(`answers counted by the sandbox: ${JSON.stringify(stats.byStatus)}`);
} finally {
  server.kill('SIGTERM');
}
