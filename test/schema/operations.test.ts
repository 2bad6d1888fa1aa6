import { readdir, readFile } from 'node:fs/promises';
import {
  type DocumentNode,
  getNamedType,
  isUnionType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';

const dir = new URL('../../schema/operations/', import.meta.url);
const files = (await readdir(dir)).filter((name) => name.endsWith('.graphql')).sort();
const documents = await Promise.all(
  files.map(async (file) => ({ file, document: parse(await readFile(new URL(file, dir), 'utf8')) })),
);

/** The operations a game backend needs (issue 4): name -> root field. */
const EXPECTED: Record<string, { type: 'query' | 'mutation' | 'subscription'; field: string }> = {
  VerifyPurchase: { type: 'query', field: 'purchase' },
  CheckEntitlements: { type: 'query', field: 'checkEntitlements' },
  ConsumePurchase: { type: 'mutation', field: 'consumePurchase' },
  AcknowledgePurchase: { type: 'mutation', field: 'acknowledgePurchase' },
  SubscriptionStatus: { type: 'query', field: 'subscription' },
  CancelSubscription: { type: 'mutation', field: 'cancelSubscription' },
  DeferSubscription: { type: 'mutation', field: 'deferSubscription' },
  ReactivateSubscription: { type: 'mutation', field: 'reactivateSubscription' },
  SyncVoidedPurchases: { type: 'query', field: 'voidedPurchases' },
  UnconfirmedPurchases: { type: 'query', field: 'unconfirmedPurchases' },
  UnconsumedPurchases: { type: 'query', field: 'unconsumedPurchases' },
  UnconsumedGamebasePayments: { type: 'query', field: 'unconsumedGamebasePayments' },
  GamebaseSubscriptions: { type: 'query', field: 'gamebaseSubscriptions' },
  GamebaseSubscriptionStatus: { type: 'query', field: 'gamebaseSubscriptionStatus' },
  ItemCatalog: { type: 'query', field: 'items' },
  RedeemPurchase: { type: 'mutation', field: 'redeemPurchase' },
  RevokedGrants: { type: 'query', field: 'revokedGrants' },
  StreamGatewayEvents: { type: 'subscription', field: 'gatewayEvents' },
};

const operationsOf = (document: DocumentNode): OperationDefinitionNode[] =>
  document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);

/** Does this selection set read `__typename` and `... on Error { code message }`? */
function selectsTypenameAndError(set: SelectionSetNode): boolean {
  const typename = set.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename');
  const error = set.selections.some((s) => {
    if (s.kind !== Kind.INLINE_FRAGMENT || s.typeCondition?.name.value !== 'Error') return false;
    const fields = s.selectionSet.selections.flatMap((f) => (f.kind === Kind.FIELD ? [f.name.value] : []));
    return fields.includes('code') && fields.includes('message');
  });
  return typename && error;
}

/** Paths of union-typed fields that miss `__typename` or the Error fragment. */
function unionsWithoutErrorHandling(document: DocumentNode): string[] {
  const typeInfo = new TypeInfo(schema);
  const missing: string[] = [];
  const path: string[] = [];
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node) {
          path.push(node.alias?.value ?? node.name.value);
          const type = typeInfo.getType();
          if (type && isUnionType(getNamedType(type))) {
            if (!node.selectionSet || !selectsTypenameAndError(node.selectionSet))
              missing.push(path.join('.'));
          }
        },
        leave() {
          path.pop();
        },
      },
    }),
  );
  return missing;
}

describe('schema/operations', () => {
  it('has one file per expected operation, each holding exactly one named operation', () => {
    const names = documents.flatMap(({ document }) => operationsOf(document).map((op) => op.name?.value));
    expect(names.sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const { file, document } of documents) expect(operationsOf(document), file).toHaveLength(1);
  });

  it.each(documents)('$file validates against the schema', ({ document }) => {
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });

  it.each(documents)('$file is the expected operation, with variables', ({ file, document }) => {
    const [operation] = operationsOf(document);
    const name = operation?.name?.value ?? '(anonymous)';
    const expected = EXPECTED[name];
    expect(expected, `${file}: unexpected operation ${name}`).toBeDefined();
    expect(operation?.operation).toBe(expected?.type);
    const rootFields = operation?.selectionSet.selections.flatMap((s) =>
      s.kind === Kind.FIELD ? [s.name.value] : [],
    );
    expect(rootFields).toEqual([expected?.field]);
    expect(operation?.variableDefinitions?.length ?? 0).toBeGreaterThan(0);
  });

  it.each(documents)(
    '$file selects __typename and ... on Error { code message } in every union',
    ({ document }) => {
      expect(unionsWithoutErrorHandling(document)).toEqual([]);
    },
  );

  it('the union check notices a union without the Error fragment', () => {
    const bad = parse('query Q { purchase(app: "a", productId: "p", purchaseToken: "t") { __typename } }');
    expect(unionsWithoutErrorHandling(bad)).toEqual(['purchase']);
  });
});
