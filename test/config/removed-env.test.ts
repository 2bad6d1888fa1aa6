import { describe, expect, it } from 'vitest';
import { parseEnv, REMOVED_ENV, removedEnvWarnings } from '../../src/config/env.js';

describe('environment variables this version no longer reads', () => {
  it('are the two heap variables the process once applied to V8 itself', () => {
    expect(Object.keys(REMOVED_ENV).sort()).toEqual([
      'GATEWAY_COMPACT_STARTUP',
      'GATEWAY_HEAP_GROWTH_PERCENT',
    ]);
  });

  it('give one warning each when set (even empty or unreadable), naming the replacement', () => {
    expect(removedEnvWarnings({})).toEqual([]);
    const warnings = removedEnvWarnings({ GATEWAY_HEAP_GROWTH_PERCENT: '2x', GATEWAY_COMPACT_STARTUP: '' });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^GATEWAY_HEAP_GROWTH_PERCENT is no longer read and is ignored: .*--max-old-space-size/,
    );
    expect(warnings[1]).toMatch(/^GATEWAY_COMPACT_STARTUP is no longer read and is ignored: .*; unset it$/);
  });

  it('do not stop the start: parseEnv accepts any value of them', () => {
    expect(() =>
      parseEnv({ GATEWAY_HEAP_GROWTH_PERCENT: '2x', GATEWAY_COMPACT_STARTUP: 'yes' }),
    ).not.toThrow();
  });
});
