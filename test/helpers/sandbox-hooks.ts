import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { SandboxOptions } from '../../src/sandbox/index.js';
import { type SandboxHarness, startHarness } from './sandbox.js';

/**
 * The set-up every sandbox-backed test file repeated: one sandbox started before the tests of the
 * file (or of the enclosing `describe`) and closed after them.
 */

export interface SandboxHooksOptions {
  /** Options of the sandbox. Default: none (`startHarness`'s own defaults). */
  sandbox?: SandboxOptions;
  /** Reset the sandbox's state before each test, so no test sees another's apps or purchases. Default false. */
  reset?: boolean;
}

/**
 * Registers the hooks and answers a harness that stands for the sandbox they start. Its members reach
 * the running sandbox when called, so the harness is used in hooks and tests, never at import time.
 */
export function useSandbox(options: SandboxHooksOptions = {}): SandboxHarness {
  let started: SandboxHarness | undefined;
  const current = (): SandboxHarness => {
    if (started === undefined) throw new Error('the sandbox runs between beforeAll and afterAll only');
    return started;
  };
  beforeAll(async () => {
    started = await startHarness(options.sandbox);
  });
  afterAll(async () => {
    await started?.close();
    started = undefined;
  });
  if (options.reset === true) {
    beforeEach(() => {
      current().sandbox.reset();
    });
  }
  return {
    get sandbox() {
      return current().sandbox;
    },
    get url() {
      return current().url;
    },
    http: (method, path, init) => current().http(method, path, init),
    control: <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
      current().control<T>(method, path, body),
    stats: () => current().stats(),
    count: (endpoint) => current().count(endpoint),
    close: () => current().close(),
  };
}
