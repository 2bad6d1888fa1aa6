import { expect } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/load.js';

/**
 * The problems `resolveConfig` lists for a config it refuses, in order; a failed test when it
 * accepts the config or throws anything but a ConfigError.
 */
export function configProblems(raw: unknown, env: Record<string, string | undefined>): string[] {
  const refusal = (() => {
    try {
      resolveConfig(raw, env);
    } catch (error) {
      return error;
    }
    throw new Error('expected a ConfigError');
  })();
  expect(refusal).toBeInstanceOf(ConfigError);
  return [...(refusal as ConfigError).problems];
}
