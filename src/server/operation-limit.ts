import type { DocumentNode, GraphQLError, GraphQLSchema, OperationDefinitionNode } from 'graphql';

/** A limit on one operation (checks, cost), judged once its variables are coerced, before execution. */
export interface OperationLimit {
  /** The error that refuses `operation` with these variables, or null when it is within the limit. */
  refusal(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Readonly<Record<string, unknown>>,
  ): GraphQLError | null;
}
