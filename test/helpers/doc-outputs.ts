import { type DefinitionNode, Kind, parse, print, type TypeDefinitionNode } from 'graphql';
import type { DocBlock } from './doc-examples.js';

/**
 * What a doc shows after an example, read back as values: a ```json block holds one answer per run
 * (one value, or one a line: "consume, then consume again"), a ```text block after a stream the
 * `data:` of each `next` event.
 */
export function shownAnswers(output: DocBlock): unknown[] {
  if (output.lang === 'text') {
    const events = [...output.body.matchAll(/^event: next\ndata: (.*)$/gm)];
    return [events.map((m) => JSON.parse(m[1] ?? '') as unknown)];
  }
  try {
    return [JSON.parse(output.body) as unknown];
  } catch {
    return output.body
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as unknown);
  }
}

/**
 * Fields whose values differ from run to run: `ids` by their value (a UUID made at the run), compared
 * by identity (the n-th distinct id of the answer must sit where the shown output has its n-th
 * distinct id), `times` by the ledger's clock (any ISO instant matches).
 */
export interface Varying {
  ids?: readonly string[];
  times?: readonly string[];
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** `value` with the varying fields replaced by placeholders; a time that is not ISO UTC stays as it is. */
export function normalised(value: unknown, varying: Varying): unknown {
  const ids = new Map<unknown, string>();
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(
      Object.entries(v).map(([key, field]) => {
        if (varying.ids?.includes(key) && typeof field === 'string') {
          if (!ids.has(field)) ids.set(field, `<id ${ids.size + 1}>`);
          return [key, ids.get(field)];
        }
        if (varying.times?.includes(key) && typeof field === 'string' && ISO.test(field))
          return [key, '<time>'];
        return [key, walk(field)];
      }),
    );
  };
  return walk(value);
}

/** The part of an answer a shown output stands for: the whole body when it shows `data` or `errors`, else `data`. */
export function comparable(shown: unknown, body: unknown): unknown {
  if (Array.isArray(shown) || shown === null || typeof shown !== 'object') return body;
  if ('data' in shown || 'errors' in shown) return body;
  return body !== null && typeof body === 'object' && 'data' in body ? body.data : body;
}

/** A type-system snippet (`interface Error { … }`) against the schema: each type's fields, by name and type. */
export function sdlDifferences(snippet: string, schemaText: string): string[] {
  const fieldsOf = (d: DefinitionNode): string[] =>
    'fields' in d && d.fields
      ? d.fields.map((f) => `${f.name.value}: ${'type' in f ? print(f.type) : ''}`).sort()
      : [];
  const schema = new Map<string, TypeDefinitionNode>();
  for (const d of parse(schemaText).definitions)
    if ('name' in d && d.name && d.kind !== Kind.DIRECTIVE_DEFINITION)
      schema.set(d.name.value, d as TypeDefinitionNode);
  const problems: string[] = [];
  for (const d of parse(snippet).definitions) {
    if (!('name' in d) || !d.name) {
      problems.push(`not a type definition: ${print(d).slice(0, 40)}`);
      continue;
    }
    const actual = schema.get(d.name.value);
    if (!actual) problems.push(`${d.name.value}: not in the schema`);
    else if (actual.kind !== d.kind) problems.push(`${d.name.value}: a ${actual.kind} in the schema`);
    else if (fieldsOf(actual).join(', ') !== fieldsOf(d).join(', '))
      problems.push(`${d.name.value}: the schema has ${fieldsOf(actual).join(', ')}`);
  }
  return problems;
}

/** True when every definition of the document is a type-system one (SDL shown for reading). */
export function isTypeSystem(text: string): boolean {
  return parse(text).definitions.every(
    (d) => d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION,
  );
}
