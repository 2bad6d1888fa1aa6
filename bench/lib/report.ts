/** Medians, the results table and the targets of issue 8. */
import type { ScenarioName } from './scenarios.js';

export interface RunFigures {
  rps: number;
  p50: number;
  p99: number;
  cpuPercent: number;
  peakRssMb: number;
  upstreamPerRequest: number;
  /** Busy share of the contestant's core not spent by the contestant: other tenants of the machine. */
  foreignOnServerCore: number;
  /** Busy share of the load generator's core (autocannon + sandbox + others): near 100 = saturated. */
  loadCoreBusy: number;
  sandboxCpu: number;
  non2xx: number;
  errors: number;
}

export interface Cell {
  contestant: string;
  scenario: ScenarioName;
  runs: RunFigures[];
  /** Medians of each figure (peak RSS: the highest run). */
  median: RunFigures;
  error?: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function summarize(runs: readonly RunFigures[]): RunFigures {
  const m = (key: keyof RunFigures) => median(runs.map((r) => r[key]));
  return {
    rps: m('rps'),
    p50: m('p50'),
    p99: m('p99'),
    cpuPercent: m('cpuPercent'),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    upstreamPerRequest: m('upstreamPerRequest'),
    foreignOnServerCore: m('foreignOnServerCore'),
    loadCoreBusy: m('loadCoreBusy'),
    sandboxCpu: m('sandboxCpu'),
    non2xx: runs.reduce((a, r) => a + r.non2xx, 0),
    errors: runs.reduce((a, r) => a + r.errors, 0),
  };
}

const f0 = (n: number) => (Number.isFinite(n) ? String(Math.round(n)) : '–');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : '–');

export function table(cells: readonly Cell[]): string {
  const head =
    '| scenario | contestant | req/s | p50 ms | p99 ms | CPU % | CPU ms/req | peak RSS MB | upstream/req | sandbox CPU % | load core busy % | foreign on server core % | non-2xx/errors |';
  const rule = `|${'---|'.repeat(13)}`;
  const rows = cells.map((c) => {
    const r = c.median;
    if (c.error) return `| ${c.scenario} | ${c.contestant} | failed: ${c.error} |${' |'.repeat(10)}`;
    const cpuMs = (r.cpuPercent * 10) / r.rps;
    return `| ${c.scenario} | ${c.contestant} | ${f0(r.rps)} | ${f0(r.p50)} | ${f0(r.p99)} | ${f0(r.cpuPercent)} | ${f2(cpuMs)} | ${f0(r.peakRssMb)} | ${f2(r.upstreamPerRequest)} | ${f0(r.sandboxCpu)} | ${f0(r.loadCoreBusy)} | ${f0(r.foreignOnServerCore)} | ${r.non2xx}/${r.errors} |`;
  });
  return [head, rule, ...rows].join('\n');
}

/** The targets for one gateway contestant, each with its verdict and the figures behind it. */
export function targets(cells: readonly Cell[], gateway: string): string[] {
  const get = (contestant: string, scenario: ScenarioName) =>
    cells.find((c) => c.contestant === contestant && c.scenario === scenario && !c.error)?.median;
  const lines: string[] = [];
  const say = (ok: boolean | undefined, text: string) =>
    lines.push(`${ok === undefined ? 'n/a ' : ok ? 'MET ' : 'NOT '} ${text}`);
  const floorA = get('floor', 'a-lookup');
  const gwA = get(gateway, 'a-lookup');
  const gwB = get(gateway, 'b-batch50');
  if (floorA && gwA) {
    const share = gwA.rps / floorA.rps;
    say(share >= 0.7, `(a) ${gateway} req/s ≥ 70% of floor: ${(share * 100).toFixed(0)}%`);
    const ratio = gwA.p99 / floorA.p99;
    say(ratio <= 1.5, `(a) ${gateway} p99 ≤ 1.5× floor: ${ratio.toFixed(2)}×`);
  }
  if (gwB) {
    const ok = gwB.upstreamPerRequest >= 40 && gwB.upstreamPerRequest <= 42;
    say(ok, `(b) upstream/op = 40 distinct + ≤1 catalogue + ≤1 token: ${gwB.upstreamPerRequest.toFixed(2)}`);
    if (gwA) say(gwB.p99 <= 3 * gwA.p99, `(b) p99 ≤ 3× (a): ${gwB.p99} ms vs ${gwA.p99} ms`);
  }
  const scenarios: ScenarioName[] = ['a-lookup', 'b-batch50', 'c-consume', 'd-slow-store'];
  for (const s of scenarios) {
    const g = get(gateway, s);
    const n = get('naive', s);
    if (g && n) say(g.rps > n.rps, `${s}: ${gateway} ahead of naive: ${f0(g.rps)} vs ${f0(n.rps)} req/s`);
  }
  const peak = Math.max(...cells.filter((c) => c.contestant === gateway).map((c) => c.median.peakRssMb));
  say(peak < 200, `${gateway} peak RSS < 200 MB: ${f0(peak)} MB`);
  return lines;
}
