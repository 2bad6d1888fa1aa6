/**
 * Run as its own process by test/server/heap-tuning.test.ts (V8 flags are per process): churns
 * short-lived objects during "start-up" and after it, and prints the young generation's committed
 * size at both points. argv[2] = 'tuned' applies the compact start-up, anything else leaves V8 alone.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { applyHeapTuning, heapStartupDone } from '../../src/server/heap-tuning.js';

if (process.argv[2] === 'tuned') applyHeapTuning({ oldGenerationGrowthPercent: 0, compactStartup: true });
const newSpaceMb = () =>
  (getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.physical_space_size ?? 0) / 1048576;
const kept: unknown[] = [];
/** ~40 MB of objects, a tenth of them surviving a while: what makes V8 grow its young generation. */
function churn(): void {
  for (let i = 0; i < 400_000; i++) {
    const item = { i, label: `item ${i}`, pair: [i, i + 1] };
    if (i % 10 === 0) kept.push(item);
  }
  kept.length = 0;
}
churn();
churn();
const startup = newSpaceMb();
heapStartupDone();
for (let n = 0; n < 3; n++) churn();
console.log(JSON.stringify({ startup, after: newSpaceMb() }));
