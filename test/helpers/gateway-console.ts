import { afterEach, beforeEach, vi } from 'vitest';

/**
 * What the process prints on the console during each test of the enclosing file or block (Yoga's
 * default logger writes there), one string per call, an Error as its stack. The array is emptied
 * before each test; after it, every mock is restored (`vi.restoreAllMocks`, the test's own spies
 * included).
 */
export function captureConsole(): string[] {
  const printed: string[] = [];
  beforeEach(() => {
    printed.length = 0;
    for (const method of ['error', 'warn', 'info', 'log', 'debug'] as const)
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        printed.push(args.map((a) => (a instanceof Error ? String(a.stack) : String(a))).join(' '));
      });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  return printed;
}
