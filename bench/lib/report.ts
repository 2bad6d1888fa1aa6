/** Medians and the results table (the targets are in targets.ts). */
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
