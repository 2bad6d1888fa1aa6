import type { InputObjectRef, ObjectRef } from '@pothos/core';
import { builder } from '../builder.js';
import type { GatewayContext } from '../context.js';

type Types = typeof builder.$inferSchemaTypes;

/** A class the errors plugin turns into a member of the mutation's result union. */
type ErrorClass = new (...args: never[]) => Error;

export interface InputMutationOptions<Success, Input> {
  /** The success payload's type, the result union's first member. */
  type: ObjectRef<Types, Success>;
  /** The type of the one required argument, `input`. */
  input: InputObjectRef<Types, Input>;
  description: string;
  /** The errors the mutation can end in, each a member of its result union. */
  errors: readonly ErrorClass[];
  resolve: (input: Input, ctx: GatewayContext) => Promise<Success>;
  /**
   * Which keys may call it: `write` (the store changes), `support` alone (the support actions: a
   * `write` key may not), or `writeOrSupport` (redeliverEvent). Default `write`.
   */
  scope?: 'write' | 'support' | 'writeOrSupport';
}

const AUTH_SCOPES = {
  write: { write: true },
  support: { support: true },
  writeOrSupport: { $any: { write: true, support: true } },
} as const;

/**
 * Defines a mutation of the gateway's one shape: a single required `input` argument, its scope
 * (`write` unless `scope` says otherwise), and a result union of the success payload and `errors` (named `<Name>Result`).
 */
export function inputMutation<Success, Input>(
  name: string,
  options: InputMutationOptions<Success, Input>,
): void {
  const { type, input, description, errors, resolve, scope = 'write' } = options;
  builder.mutationField(name, (t) =>
    t.field({
      type,
      description,
      errors: { types: [...errors] },
      authScopes: AUTH_SCOPES[scope],
      args: { input: t.arg({ type: input, required: true }) },
      resolve: (_root, args, ctx) => {
        // Pothos derives the args' and the result's types from the two refs through conditional
        // types, which stay unresolved for a generic Input and Success; the refs fix them to these.
        const { input: given } = args as unknown as { input: Input };
        return resolve(given, ctx) as never;
      },
    }),
  );
}
