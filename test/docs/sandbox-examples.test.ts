import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { blocksOf, parseCurl, shellCommands } from '../helpers/doc-examples.js';

/**
 * The shell examples against the sandbox's own API (`npm run sandbox`, localhost:4010) in
 * src/sandbox/README.md, README.md and docs/*.md, run in document order against a sandbox with demo
 * data started afresh for each file. A comment `# -> <answer>` after a curl is its answer, `…` standing
 * for any text; `# the same again -> HTTP 409 <answer>` sends the curl before it again. A curl with no
 * answer shown must answer 2xx. Shell variables are expanded as the shell would (`$GB` unquoted splits
 * into words); other commands (`npm run sandbox &`: the sandbox started here) are not run.
 */

const ROOT = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), 'utf8');
const FILES = [
  'src/sandbox/README.md',
  'README.md',
  ...readdirSync(new URL('docs/', ROOT))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

/** Values a doc leaves to the reader (`TOKEN=…   # the access_token above`), from the answer before. */
const FROM_ANSWER: Record<string, (answer: unknown) => string> = {
  TOKEN: (answer) => String((answer as { access_token: unknown }).access_token),
};

interface Sent {
  status: number;
  text: string;
}

/** `…` in a shown answer matches any text; the rest must be the answer's bytes. */
function pattern(shown: string): RegExp {
  const parts = shown.split('…').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^]*?')}$`);
}

function expand(word: string, vars: Map<string, string>): string[] {
  const whole = /^\$(\w+)$/.exec(word);
  // An unquoted `$GB` is split into words; the tokenizer has removed the quotes, so a word that is a
  // variable alone is taken as unquoted (the docs quote a variable only inside a longer word).
  if (whole?.[1] !== undefined && vars.has(whole[1]))
    return (vars.get(whole[1]) ?? '').split(/\s+/).filter(Boolean);
  return [word.replace(/\$\{?(\w+)\}?/g, (m, name: string) => vars.get(name) ?? m)];
}

async function run(sandbox: Sandbox, words: string[]): Promise<Sent> {
  const curl = parseCurl(words);
  if (!curl) throw new Error(`not a curl command: ${words.join(' ')}`);
  const url = curl.url.replace(/^(http:\/\/)?localhost:4010/, sandbox.url);
  const response = await fetch(url, {
    method: curl.method,
    headers: curl.headers,
    ...(curl.data !== undefined && { body: curl.data }),
  });
  return { status: response.status, text: await response.text() };
}

for (const file of FILES) {
  const blocks = blocksOf(read(file)).filter(
    (b) => ['bash', 'sh', ''].includes(b.lang) && /curl[^\n]*localhost:4010/.test(b.body),
  );
  if (blocks.length === 0) continue;
  describe(`${file}: the sandbox's curl examples`, () => {
    let sandbox: Sandbox;
    beforeAll(async () => {
      sandbox = await startSandbox({ port: 0, demo: true });
    });
    afterAll(async () => sandbox?.close());

    for (const block of blocks)
      it(`the block at line ${block.line} answers as shown`, async () => {
        const vars = new Map<string, string>();
        let last: { words: string[]; sent: Sent; checked?: boolean } | undefined;
        const unshown = () => {
          if (last && !last.checked) expect(last.sent.status, last.words.join(' ')).toBeLessThan(300);
        };
        let curls = 0;
        for (const command of shellCommands(block.body, { comments: true })) {
          const [first = '', ...rest] = command;
          const assignment = /^(\w+)=(.*)$/s.exec(first);
          if (first === '#') {
            const shown = /^(.*?)->\s*(?:HTTP (\d{3}) )?(.*)$/.exec(rest[0] ?? '');
            if (!shown || !last) continue;
            if (/same again/.test(shown[1] ?? ''))
              last = { words: last.words, sent: await run(sandbox, last.words) };
            const where = `${file}:${block.line} ${last.words.slice(0, 6).join(' ')}`;
            expect(last.sent.status, where).toBe(shown[2] === undefined ? 200 : Number(shown[2]));
            expect(last.sent.text, where).toMatch(pattern(shown[3] ?? ''));
            last.checked = true;
          } else if (assignment && rest.length === 0) {
            const [, name = '', value = ''] = assignment;
            const derive = FROM_ANSWER[name];
            vars.set(name, value === '…' && derive && last ? derive(JSON.parse(last.sent.text)) : value);
          } else if (first === 'curl') {
            const words = command.flatMap((w) => expand(w, vars));
            unshown();
            last = { words, sent: await run(sandbox, words) };
            curls += 1;
          }
        }
        unshown();
        expect(curls).toBeGreaterThan(0);
      });
  });
}
