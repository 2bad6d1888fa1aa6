import { useGraphQlJit } from '@envelop/graphql-jit';
import { type DocumentNode, getOperationAST, Kind, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Performance levers of the gateway, each switchable so `npm run bench` can measure its effect
 * (see BENCHMARKS.md).
 */
export interface PerformanceOptions {
  /**
   * Execute operations with graphql-jit (`@envelop/graphql-jit`): each operation is compiled once
   * into a JavaScript function, cached per operation of a parsed document (see {@link jitPlugin}).
   * Default true: +20 % requests per second on a lookup (BENCHMARKS.md), and the whole test suite
   * runs with it.
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
  plugins: Plugin[];
  parserAndValidationCache: boolean;
} {
  const plugins: Plugin[] = [];
  if (options.jit !== false) plugins.push(jitPlugin());
  return { plugins, parserAndValidationCache: options.parseCache !== false };
}

/** Per operation node (so per parsed document): a document holding that operation alone. */
const singleOperationDocuments = new WeakMap<OperationDefinitionNode, DocumentNode>();

/** `document` without its other operations (fragments stay); `document` itself when it has no other. */
function documentOf(document: DocumentNode, operation: OperationDefinitionNode): DocumentNode {
  const keep = (d: DocumentNode['definitions'][number]) =>
    d === operation || d.kind !== Kind.OPERATION_DEFINITION;
  if (document.definitions.every(keep)) return document;
  let single = singleOperationDocuments.get(operation);
  if (single === undefined) {
    single = { ...document, definitions: document.definitions.filter(keep) };
    singleOperationDocuments.set(operation, single);
  }
  return single;
}

/**
 * graphql-jit, compiled per operation. `@envelop/graphql-jit` caches what it compiled by document
 * alone (a WeakMap on the parsed document, which Yoga's parse cache hands out once per document
 * text) and has no option for the key, so a document with several operations kept running the one
 * its first request named, whatever `operationName` said later: a query answered another query's
 * result, and a GET naming a query ran a mutation compiled for an earlier POST. Here the jit only
 * ever sees a document holding the named operation alone, one per (document, operation), so its
 * cache key is the operation. A name the document does not resolve (unknown, or none among
 * several) is left to graphql-js, which answers the error and caches nothing; Yoga refuses those
 * at parse time already ("Could not determine what operation to execute"). Only execution is
 * compiled: a subscription (the live event stream) is left to graphql-js, which selects the named
 * operation itself and runs each event's small selection; `onSubscribe` is deliberately not
 * forwarded, so the jit's per-document cache cannot pick the wrong operation there either.
 */
export function jitPlugin(): Plugin {
  const jit = useGraphQlJit();
  return {
    onExecute(payload) {
      const operation = getOperationAST(payload.args.document, payload.args.operationName);
      if (!operation) return;
      const document = documentOf(payload.args.document, operation);
      return jit.onExecute?.({
        ...payload,
        setExecuteFn: (execute) => payload.setExecuteFn((args) => execute({ ...args, document })),
      });
    },
  };
}
