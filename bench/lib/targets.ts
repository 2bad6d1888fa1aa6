/** The targets of issue 18, each printed MET or NOT with the ratio behind it (ratios within one run). */
import type { Cell } from './report.js';
import type { ScenarioName } from './scenarios.js';

/** Idle RSS per contestant: 1 s after it listens, and settled (10 s, after V8's first memory-reducing GC). */
export interface IdleRss {
  early: number;
  settled: number;
}

const f0 = (n: number) => (Number.isFinite(n) ? String(Math.round(n)) : '–');
const cpuMs = (c: { cpuPercent: number; rps: number }) => (c.cpuPercent * 10) / c.rps;

export function targets(
  cells: readonly Cell[],
  gateway: string,
  idle: ReadonlyMap<string, IdleRss>,
): string[] {
  const get = (contestant: string, scenario: ScenarioName) =>
    cells.find((c) => c.contestant === contestant && c.scenario === scenario && !c.error)?.median;
  const lines: string[] = [];
  const say = (ok: boolean | undefined, text: string) =>
    lines.push(`${ok === undefined ? 'n/a ' : ok ? 'MET ' : 'NOT '} ${text}`);
  const gwA = get(gateway, 'a-lookup');
  const yogaA = get('yoga-undici', 'a-lookup');
  const floorA = get('floor', 'a-lookup');
  const peerA = get('peer', 'a-lookup');
  if (gwA && yogaA) {
    const r = gwA.rps / yogaA.rps;
    say(
      r >= 0.9,
      `(a) req/s ≥ 90% of yoga-undici's: ${(r * 100).toFixed(0)}% (${f0(gwA.rps)} vs ${f0(yogaA.rps)})`,
    );
  }
  if (gwA && floorA) {
    const r = cpuMs(gwA) / cpuMs(floorA);
    say(
      r <= 4,
      `(a) CPU per request ≤ 4× the floor's: ${r.toFixed(2)}× (${cpuMs(gwA).toFixed(3)} vs ${cpuMs(floorA).toFixed(3)} ms)`,
    );
  }
  if (gwA && peerA) {
    const r = gwA.rps / peerA.rps;
    say(r >= 3, `(a) ≥ 3× the peer (Hive Gateway): ${r.toFixed(2)}× (${f0(gwA.rps)} vs ${f0(peerA.rps)})`);
  }
  const gwE = get(gateway, 'e-aliases20');
  const peerE = get('peer', 'e-aliases20');
  if (gwE && peerE) {
    const r = gwE.rps / peerE.rps;
    say(
      r >= 6,
      `(e) ≥ 6× the peer: ${r.toFixed(2)}× (${f0(gwE.rps)} vs ${f0(peerE.rps)}; upstream/req ${gwE.upstreamPerRequest.toFixed(2)} vs ${peerE.upstreamPerRequest.toFixed(2)})`,
    );
  }
  const gwB = get(gateway, 'b-batch50');
  const floorB = get('floor', 'b-batch50');
  if (gwB && floorB) {
    const r = gwB.rps / floorB.rps;
    say(
      r >= 0.4,
      `(b) req/s ≥ 40% of the floor's: ${(r * 100).toFixed(0)}% (${f0(gwB.rps)} vs ${f0(floorB.rps)})`,
    );
  }
  if (gwB) {
    const ok = gwB.upstreamPerRequest >= 40 && gwB.upstreamPerRequest <= 42;
    say(ok, `(b) upstream/op = 40 distinct + ≤1 catalogue + ≤1 token: ${gwB.upstreamPerRequest.toFixed(2)}`);
  }
  for (const c of cells.filter((x) => x.contestant === gateway && !x.error)) {
    const floor = get('floor', c.scenario);
    if (!floor) continue;
    const over = c.median.peakRssMb - floor.peakRssMb;
    say(
      over <= 40,
      `${c.scenario}: peak RSS ≤ floor + 40 MB: ${f0(c.median.peakRssMb)} vs ${f0(floor.peakRssMb)} MB (+${f0(over)})`,
    );
  }
  const gi = idle.get(gateway);
  if (gi) {
    say(
      gi.settled <= 90,
      `idle RSS ≤ 90 MB: ${f0(gi.settled)} MB settled (10 s after start), ${f0(gi.early)} MB 1 s after start`,
    );
  }
  for (const [g, f] of [
    [gateway, 'floor'],
    [`${gateway}-pg`, 'floor-pg'],
  ] as const) {
    const gf = get(g, 'f-redeem');
    const ff = get(f, 'f-redeem');
    if (gf && ff) {
      say(
        true,
        `(f) ${g} redeems at ${((gf.rps / ff.rps) * 100).toFixed(0)}% of ${f}'s rate (${f0(gf.rps)} vs ${f0(ff.rps)} req/s; no numeric target)`,
      );
    }
  }
  return lines;
}
