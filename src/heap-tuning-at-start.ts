/**
 * Imported first by main.ts (a bare import, so it is evaluated before any other module loads): the
 * process's V8 heap tuning (`server/heap-tuning.ts`, GATEWAY_HEAP_GROWTH_PERCENT and
 * GATEWAY_COMPACT_STARTUP) applies while the rest of the gateway loads.
 */
import { applyHeapTuning, heapTuningFromEnv } from './server/heap-tuning.js';

applyHeapTuning(heapTuningFromEnv(process.env));
