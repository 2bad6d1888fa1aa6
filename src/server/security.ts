import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import {
  GraphQLError,
  getOperationAST,
  NoSchemaIntrospectionCustomRule,
  type ValidationContext,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayConfig } from '../config/load.js';
import { checkLimit } from './check-limit.js';
import { consoleManifest } from './console/operations.js';
import { costLimit } from './cost-limit.js';
import { coerceVariables, withoutLiterals } from './input-errors.js';
import { loadManifest, persistedOperationsPlugins } from './persisted-operations.js';

/**
 * Headers that mark a GET or form-encoded POST as sent on purpose: a browser cannot add one to a
 * cross-site "simple" request without a CORS preflight, which this gateway grants only to `cors.origins`.
 */
export const CSRF_HEADERS = ['x-graphql-yoga-csrf', 'graphql-require-preflight'];

/** The code of a request refused for want of a CSRF header (HTTP 403), in its body and its access line. */
export const CSRF_CODE = 'CSRF_HEADER_REQUIRED';

/**
 * Yoga's CSRF prevention, its refusal given a code: the plugin's own error has none, so a client
 * could not tell it from a failure, and the access log counted it as INTERNAL_SERVER_ERROR.
 */
function csrfPreventionPlugin(): Plugin {
  const { onRequestParse } = useCSRFPrevention({ requestHeaders: CSRF_HEADERS });
  const withCode = (error: unknown) =>
    error instanceof GraphQLError
      ? new GraphQLError(error.message, { extensions: { ...error.extensions, code: CSRF_CODE } })
      : error;
  return {
    onRequestParse(payload) {
      try {
        const done = onRequestParse?.(payload);
        return done instanceof Promise
          ? done.catch((error: unknown) => Promise.reject(withCode(error)))
          : done;
      } catch (error) {
        throw withCode(error);
      }
    },
  };
}

/** What a rejected operation is told when `limits.exposeLimits` is false. */
export const LIMIT_MESSAGE = 'Query validation error.';

/**
 * Armor's validation rules throw by default, which Yoga answers like a crash (HTTP 200, no code).
 * Reported as validation errors instead, they get HTTP 400 and `GRAPHQL_VALIDATION_FAILED`, without
 * Armor's misleading "Syntax Error: " prefix.
 */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

const limitError = (status: number, message: string, code: string) =>
  new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json' },
  });

/**
 * The request body limit, from `Content-Length` alone: Node's HTTP parser never hands over more
 * body than that header announces, so no byte has to be counted. A body without it (chunked) is
 * refused with 411, as RFC 9110 allows; every GraphQL client sends the length of its JSON. Yoga's
 * own `maxRequestBodySize` pipes every body through a counting stream, which cost ~8 % of the CPU
 * of a lookup (BENCHMARKS.md).
 */
export function bodyLimitPlugin(maxBytes: number): Plugin {
  return {
    onRequest({ request, endResponse }) {
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
      const length = request.headers.get('content-length');
      if (length === null) {
        endResponse(limitError(411, 'A request body needs a Content-Length header.', 'LENGTH_REQUIRED'));
      } else if (!/^\d{1,15}$/.test(length) || Number(length) > maxBytes) {
        endResponse(limitError(413, 'The request body is too large.', 'PAYLOAD_TOO_LARGE'));
      }
    },
  };
}

/** What a malformed body is told: never its text, which may hold purchase tokens. */
export const BAD_JSON_BODY = 'The request body is not valid JSON.';
/** What malformed `variables` or `extensions` of a GET or form POST are told, without their text. */
export const BAD_JSON_PARAMS = 'The variables or extensions parameter is not valid JSON.';

/** What a JSON body with a key GraphQL over HTTP does not define is told, without the key. */
export const UNKNOWN_BODY_KEY =
  'The request body may hold only query, variables, operationName and extensions.';

const BODY_KEYS = new Set(['query', 'variables', 'operationName', 'extensions']);

/**
 * Request parse errors without the request's text. Yoga answers a malformed JSON body with
 * `extensions.originalError`, JSON.parse's message, which quotes the body (purchase tokens
 * included) in every profile; and malformed `variables` in a query string reach the masking as a
 * bare SyntaxError (a 500 "Unexpected error.", logged with the text). This wraps whichever parser
 * Yoga picked (they are all registered before any gateway plugin) and answers both with a fixed
 * message, HTTP 400 and `BAD_REQUEST`. A body key Yoga does not know is refused here too: Yoga's
 * own check (an `onParams` hook it registers before any plugin's) quotes the key back.
 */
export function requestParseErrorsPlugin(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        let params: Awaited<ReturnType<typeof requestParser>>;
        try {
          params = await requestParser(request);
        } catch (error) {
          throw withoutRequestText(error);
        }
        for (const one of Array.isArray(params) ? params : [params]) refuseUnknownKeys(one);
        return params;
      });
    },
  };
}

/** Yoga's rule (a key whose value is null or absent is ignored), with a message that names no key. */
function refuseUnknownKeys(params: unknown): void {
  if (typeof params !== 'object' || params === null) return;
  for (const [key, value] of Object.entries(params))
    if (value != null && !BODY_KEYS.has(key))
      throw new GraphQLError(UNKNOWN_BODY_KEY, {
        extensions: { http: { status: 400 }, code: 'BAD_REQUEST' },
      });
}

function withoutRequestText(error: unknown): unknown {
  if (error instanceof GraphQLError && error.extensions.originalError !== undefined) {
    // No `http.spec`: Yoga answers it 200 to an `application/json` client once originalError is
    // gone, and a body that is not JSON is a 400 for every client, as before.
    return new GraphQLError(BAD_JSON_BODY, { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
  }
  if (error instanceof SyntaxError) {
    return new GraphQLError(BAD_JSON_PARAMS, { extensions: { http: { status: 400 }, code: 'BAD_REQUEST' } });
  }
  return error;
}

/**
 * graphql-js's syntax errors end with the token the parser stopped at, a literal's text included
 * (`Expected Name, found String "<token>".`): only its kind is kept. Wraps the parser in place (after
 * the token limit's), so Yoga's parse cache keeps the error without the text as well.
 */
function syntaxErrorsPlugin(): Plugin {
  const TOKEN_TEXT = /\b(String|BlockString|Int|Float|Name) "[\s\S]*"\.$/;
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, options);
        } catch (error) {
          if (error instanceof GraphQLError) error.message = error.message.replace(TOKEN_TEXT, '$1.');
          throw error;
        }
      });
    },
  };
}

/** Validation errors without the document's literals (`withoutLiterals`, input-errors.ts). */
function literalErrorsPlugin(): Plugin {
  return {
    onValidate({ params }) {
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(withoutLiterals(params.schema, params.documentAST, result));
      };
    },
  };
}

/**
 * What needs the request's variables, run before execution (and subscription) starts: their
 * coercion with errors that never quote a value (input-errors.ts), then the cost limit counted with
 * their values (cost-limit.ts) and the entitlement checks of the whole request (check-limit.ts).
 * Put it before the rate limits: a refused operation spends no point.
 */
export function executionChecksPlugin(
  limits: Pick<GatewayConfig['limits'], 'maxCost' | 'maxChecks' | 'exposeLimits'>,
): Plugin {
  const checks = checkLimit(limits.maxChecks);
  const cost = costLimit({
    maxCost: limits.maxCost,
    exposeLimits: limits.exposeLimits,
    errorMessage: LIMIT_MESSAGE,
  });
  const check = ({
    args,
    setResultAndStopExecution,
  }: {
    args: Parameters<NonNullable<Plugin['onExecute']>>[0]['args'];
    setResultAndStopExecution: (result: { errors: readonly GraphQLError[] }) => void;
  }) => {
    // No operation by that name: graphql-js answers it (Yoga refuses most at parse time already).
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return;
    const variables = coerceVariables(args.schema, operation, args.variableValues ?? {});
    if ('errors' in variables) return setResultAndStopExecution({ errors: variables.errors });
    const refusal =
      cost.refusal(args.schema, args.document, operation, variables.coerced) ??
      checks.refusal(args.schema, args.document, operation, variables.coerced);
    if (refusal) setResultAndStopExecution({ errors: [refusal] });
  };
  return { onExecute: check, onSubscribe: check };
}

/**
 * The body size limit, request parse errors without the request's text, the operation limits
 * (GraphQL Armor; the cost limit is `executionChecksPlugin`'s), validation errors without literals,
 * introspection and suggestion blocking, CSRF prevention and the persisted operations mode.
 */
export function securityPlugins(
  config: Pick<GatewayConfig, 'limits' | 'introspection' | 'persistedOperations'> &
    Partial<Pick<GatewayConfig, 'console'>>,
): Plugin[] {
  const { limits } = config;
  const reveal = { exposeLimits: limits.exposeLimits, errorMessage: LIMIT_MESSAGE };
  const plugins: Plugin[] = [
    bodyLimitPlugin(limits.maxBodyBytes),
    requestParseErrorsPlugin(),
    csrfPreventionPlugin(),
    // Before parsing: an unlisted document is refused without being read further.
    // With the support console on, its own operations too: it runs them at /graphql (console/plugin.ts).
    ...(config.persistedOperations
      ? persistedOperationsPlugins(
          config.console?.enabled ? new Map([...loadManifest(), ...consoleManifest()]) : loadManifest(),
        )
      : []),
    // The parser throws: a parse failure already is HTTP 400 with `GRAPHQL_PARSE_FAILED`.
    maxTokensPlugin({ n: limits.maxTokens, ...reveal }),
    syntaxErrorsPlugin(),
    // Flattened: a fragment adds no depth of its own, so only real nesting counts.
    maxDepthPlugin({ n: limits.maxDepth, flattenFragments: true, ...reveal, ...asValidationError }),
    maxAliasesPlugin({ n: limits.maxAliases, ...reveal, ...asValidationError }),
    maxDirectivesPlugin({ n: limits.maxDirectives, ...reveal, ...asValidationError }),
    literalErrorsPlugin(),
  ];
  if (!config.introspection) {
    plugins.push(
      {
        onValidate({ addValidationRule }) {
          addValidationRule(NoSchemaIntrospectionCustomRule);
        },
      },
      // "Did you mean ...?" would hand out the field names introspection hides.
      blockFieldSuggestionsPlugin(),
    );
  }
  return plugins;
}
