import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed client for game backends: TypedDocumentNode documents and result/variable types from the
 * printed schema and the operations in schema/operations. `npm run codegen` writes
 * src/client/generated/; `npm run codegen:check` fails when that output is stale.
 */
export const OUTPUT_DIR = 'src/client/generated/';

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  documents: ['schema/operations/*.graphql'],
  // Relative imports with `.js`, as NodeNext module resolution wants them.
  emitLegacyCommonJSImports: false,
  ignoreNoDocuments: false,
  generates: {
    [OUTPUT_DIR]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { DateTime: 'string' },
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        nonOptionalTypename: true,
        skipTypeNameForRoot: true,
      },
    },
  },
};

export default config;
