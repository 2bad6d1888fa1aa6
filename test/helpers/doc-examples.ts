/**
 * The examples of a Markdown document, as a reader meets them: each ```graphql block, and each curl
 * command of a shell block, with the output block printed right after it (only blank lines between),
 * if any. test/docs/examples.test.ts runs them; example-operations.ts reads the README's through here.
 */

export interface DocBlock {
  /** The fence's language (`graphql`, `bash`, `json`, `text`, or '' when none is given). */
  lang: string;
  /** Line of the opening fence, from 1. */
  line: number;
  body: string;
}

/** One curl command, its words as the shell would pass them (no variables expanded). */
export interface CurlCommand {
  words: string[];
  url: string;
  method: string;
  headers: [string, string][];
  /** The `-d` body, as written. */
  data: string | undefined;
}

export interface DocExample {
  file: string;
  line: number;
  kind: 'graphql' | 'curl';
  /** The GraphQL document: the block, or the curl body's `query`. */
  graphql: string | undefined;
  curl: CurlCommand | undefined;
  /** The output block printed right after the example. */
  output: DocBlock | undefined;
}

/** Every fenced block of a Markdown text, in order. */
export function blocksOf(markdown: string): (DocBlock & { end: number })[] {
  const lines = markdown.split('\n');
  const out: (DocBlock & { end: number })[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    out.push({ lang: open[1] ?? '', line: start + 1, end: i + 1, body: `${body.join('\n')}\n` });
  }
  return out;
}

/**
 * The commands of a shell text, each as the words the shell would pass (quotes removed, no variable
 * expanded): commands end at an unquoted newline, `;`, `&&` or `&`; `\\`-newline continues one; `#`
 * starts a comment (with `comments`, kept as a command `['#', text]`: the docs print outputs in them).
 */
export function shellCommands(text: string, options: { comments?: boolean } = {}): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  const endWord = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\' && text[i + 1] === '\n') {
      i++;
    } else if (c === "'") {
      // An unclosed quote (prose in a diagram, not a command) runs to the end, as in a shell.
      const end = text.indexOf("'", i + 1) < 0 ? text.length : text.indexOf("'", i + 1);
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let s = '';
      for (i++; i < text.length && text[i] !== '"'; i++)
        s += text[i] === '\\' && /["\\$`]/.test(text[i + 1] ?? '') ? text[++i] : text[i];
      word = (word ?? '') + s;
    } else if (c === '#' && word === undefined) {
      const start = i;
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
      if (options.comments) {
        endCommand();
        commands.push(['#', text.slice(start + 1, i + 1).trim()]);
      }
    } else if (c === '\n' || c === ';' || c === '&') {
      endCommand();
      if (c === '&' && text[i + 1] === '&') i++;
    } else if (/\s/.test(c)) endWord();
    else word = (word ?? '') + c;
  }
  endCommand();
  return commands;
}

/** A curl command's request; `null` when the words are not one. */
export function parseCurl(words: readonly string[]): CurlCommand | null {
  if (words[0] !== 'curl') return null;
  const headers: [string, string][] = [];
  let url: string | undefined;
  let method: string | undefined;
  let data: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '-H' || w === '--header') {
      const h = words[++i] ?? '';
      const colon = h.indexOf(':');
      headers.push([h.slice(0, colon).trim().toLowerCase(), h.slice(colon + 1).trim()]);
    } else if (w === '-d' || w === '--data' || w === '--data-raw') {
      const d = words[++i] ?? '';
      data = data === undefined ? d : `${data}&${d}`;
    } else if (w === '-X' || w === '--request') method = words[++i];
    else if (w.startsWith('-')) continue;
    else url = w;
  }
  if (url === undefined) return null;
  return { words: [...words], url, method: method ?? (data === undefined ? 'GET' : 'POST'), headers, data };
}

/** The curl commands of a shell block. */
export function curlsOf(body: string): CurlCommand[] {
  return shellCommands(body)
    .map(parseCurl)
    .filter((c): c is CurlCommand => c !== null);
}

/**
 * The examples of `file` against the gateway (`localhost:4000/graphql`): GraphQL blocks, and curl
 * commands in shell blocks with the query of their JSON body.
 */
export function docExamples(file: string, markdown: string): DocExample[] {
  const blocks = blocksOf(markdown);
  const lines = markdown.split('\n');
  const outputAfter = (end: number): DocBlock | undefined => {
    const next = blocks.find((b) => b.line > end);
    if (!next || !['json', 'text'].includes(next.lang)) return undefined;
    const between = lines.slice(end, next.line - 1);
    return between.every((l) => l.trim() === '') ? next : undefined;
  };
  const out: DocExample[] = [];
  for (const block of blocks) {
    if (block.lang === 'graphql') {
      out.push({
        file,
        line: block.line,
        kind: 'graphql',
        graphql: block.body,
        curl: undefined,
        output: outputAfter(block.end),
      });
      continue;
    }
    if (!['bash', 'sh', ''].includes(block.lang) || !block.body.includes('curl')) continue;
    const curls = curlsOf(block.body).filter((c) => /^(http:\/\/)?localhost:4000\//.test(c.url));
    curls.forEach((curl, i) => {
      let query: string | undefined;
      try {
        query = curl.data === undefined ? undefined : (JSON.parse(curl.data) as { query?: string }).query;
      } catch {
        // Not JSON: sent as written, the gateway's refusal fails the example.
      }
      out.push({
        file,
        line: block.line,
        kind: 'curl',
        graphql: query,
        curl,
        output: i === curls.length - 1 ? outputAfter(block.end) : undefined,
      });
    });
  }
  return out;
}
