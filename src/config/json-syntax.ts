import { type ParseError, parse, printParseErrorCode } from 'jsonc-parser';

/**
 * Where a config file's JSON breaks, as line and column (1-based) with the parser's reason, or null
 * when the text is valid JSON. JSON.parse says neither usefully: V8 gives an offset ("position 1294")
 * or, for an unexpected token, quotes the text around it, which may hold a secret (a key hash, an
 * inline credential), so its message is never shown.
 */
export function jsonSyntaxProblem(text: string): string | null {
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return null;
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}: ${reason(first)}`;
}

/** The parser's code in words: `CloseBraceExpected` → "close brace expected". */
const reason = (e: ParseError) =>
  printParseErrorCode(e.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
