import { type DocumentNode, getOperationAST } from 'graphql';

/** An operation's label values in the operation metrics. */
export interface OperationLabels {
  readonly operation: string;
  readonly type: string;
}

/**
 * Operation labels found once per parsed document and operation name rather than per request:
 * documents come from Yoga's parse cache, so the same object comes back for the same query. Held
 * weakly by document; a client choosing operation names cannot grow a document's map past the
 * operations it has (a name the document lacks selects no operation and is not kept).
 */
export class OperationLabelCache {
  readonly #byDocument = new WeakMap<DocumentNode, Map<string | null, OperationLabels>>();

  /** `label` bounds the client-chosen name (GatewayMetrics.operationLabel). */
  constructor(readonly label: (name: string | undefined) => string) {}

  of(args: { document: DocumentNode; operationName?: string | null }): OperationLabels {
    let byName = this.#byDocument.get(args.document);
    if (byName === undefined) {
      byName = new Map();
      this.#byDocument.set(args.document, byName);
    }
    const key = args.operationName ?? null;
    let labels = byName.get(key);
    if (labels === undefined) {
      const op = getOperationAST(args.document, args.operationName);
      labels = { operation: this.label(op?.name?.value), type: op?.operation ?? 'unknown' };
      if (op !== null) byName.set(key, labels);
    }
    return labels;
  }
}
