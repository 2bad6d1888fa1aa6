/**
 * The subset of a pino logger the store clients use; a pino `Logger` fits as is.
 * Callers of these methods pass only endpoint names, statuses, codes and timings: never URLs,
 * headers, bodies, tokens or secrets.
 */
export interface StoreLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export const silentLogger: StoreLogger = {
  debug() {},
  warn() {},
};
