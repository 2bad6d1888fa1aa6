import { performance } from 'node:perf_hooks';
import { type ExecutionArgs, type GraphQLError, getOperationAST } from 'graphql';
import type { GatewayContext } from '../graphql/context.js';
import { collectResultCodes } from './access-log.js';
import { appsOf } from './rate-limits.js';

/** Where the lines go: the access logger (pino's `info`). */
export type AccessLine = (line: Record<string, unknown>, msg: string) => void;

/** As the HTTP access line bounds them (`access-log.ts`). */
const MAX_APPS = 10;
const MAX_CODES = 20;
const MAX_OPERATION_NAME = 64;

/**
 * The `graphql request` line of an operation run over graphql-ws, written when it starts (a
 * stream: when it opened or was refused), with the fields of the HTTP line that mean something on
 * a socket and `transport: 'graphql-ws'` instead of an HTTP status: request id, operation, apps
 * the key may use, key name, error codes, duration. Never the key, the variables or the result.
 */
export function webSocketAccessLine(
  write: AccessLine,
  args: ExecutionArgs,
  outcome: unknown,
  startedAt: number,
): void {
  const context = args.contextValue as Partial<GatewayContext>;
  const operation = getOperationAST(args.document, args.operationName);
  const codes = new Set<string>();
  if (!(typeof outcome === 'object' && outcome !== null && Symbol.asyncIterator in outcome))
    collectResultCodes(outcome, codes);
  const allowed = context.caller?.apps;
  write(
    {
      requestId: context.scope?.requestId,
      transport: 'graphql-ws',
      durationMs: Math.round((performance.now() - startedAt) * 10) / 10,
      operationName: operation?.name?.value.slice(0, MAX_OPERATION_NAME) ?? null,
      operationType: operation?.operation ?? null,
      apps: appsOf(args.document, args.operationName, (args.variableValues ?? {}) as Record<string, unknown>)
        .filter((app) => allowed?.has(app) === true)
        .slice(0, MAX_APPS),
      keyName: context.caller?.keyName ?? null,
      errorCodes: [...codes].slice(0, MAX_CODES),
    },
    'graphql request',
  );
}

/** The line of an operation refused before it ran (parse, validation, persisted-only, a mutation). */
export function refusedOperationLine(
  write: AccessLine,
  requestId: string | undefined,
  keyName: string,
  errors: readonly GraphQLError[],
): void {
  const codes = new Set<string>();
  collectResultCodes({ errors }, codes);
  write(
    {
      requestId,
      transport: 'graphql-ws',
      operationName: null,
      operationType: null,
      apps: [],
      keyName,
      errorCodes: [...codes].slice(0, MAX_CODES),
    },
    'graphql request',
  );
}
