import { useGraphQlJit } from '@envelop/graphql-jit';

/**
 * Performance levers of the gateway, each switchable so `npm run bench` can measure its effect
 * (see BENCHMARKS.md).
 */
export interface PerformanceOptions {
  /**
   * Execute operations with graphql-jit (`@envelop/graphql-jit`): each document is compiled once
   * into a JavaScript function, cached per parsed document. Default true: +20 % requests per
   * second on a lookup (BENCHMARKS.md), and the whole test suite runs with it.
   */
  jit?: boolean;
  /**
   * Yoga's parse and validation cache (document string -> AST, AST -> validation errors). Default
   * true, as in Yoga; false exists to measure what the cache is worth.
   */
  parseCache?: boolean;
}

/** The Yoga options and extra plugins that realise `options`. */
export function performancePlugins(options: PerformanceOptions = {}): {
  plugins: ReturnType<typeof useGraphQlJit>[];
  parserAndValidationCache: boolean;
} {
  const plugins: ReturnType<typeof useGraphQlJit>[] = [];
  if (options.jit !== false) {
    // A document graphql-jit cannot compile answers its compilation errors (logged by the plugin).
    plugins.push(useGraphQlJit());
  }
  return { plugins, parserAndValidationCache: options.parseCache !== false };
}
