import { builder } from '../builder.js';
import { InvalidInputError } from '../errors/error-classes.js';

/** Edges per page of every Relay list: at most ONE store's `maxResults` (100), 50 unless asked. */
export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 50;

/** `first` and `after`, alike on every list; `items` names what a page holds ("Edges", "Grants"). */
export const pagingArgs = (items: string) =>
  builder.args((t) => ({
    first: t.int({
      required: false,
      description: `${items} per page, 1-${MAX_PAGE}; default ${DEFAULT_PAGE}.`,
    }),
    after: t.string({ required: false, description: 'endCursor of the previous page.' }),
  }));

/** `first`, defaulted and checked. */
export function pageSize(first: number | null | undefined): number {
  const size = first ?? DEFAULT_PAGE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE)
    throw new InvalidInputError('first', `first must be 1-${MAX_PAGE}.`);
  return size;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface RelayPage<T> {
  edges: Edge<T>[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/** A Relay page from its edges and what the source says of its neighbours; `startCursor` is the first edge's. */
export function connection<T>(
  edges: Edge<T>[],
  around: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null },
): RelayPage<T> {
  return { edges, pageInfo: { ...around, startCursor: edges[0]?.cursor ?? null } };
}
