import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CONSOLE_ASSETS_PATH } from './paths.js';

/**
 * The page's files, read from `src/server/console/assets/` whether this module runs from `src/` or
 * from `dist/` (the build compiles TypeScript only): both sit three levels below the root.
 */
export const CONSOLE_ASSETS_DIR = new URL('../../../src/server/console/assets/', import.meta.url);

export interface ConsoleAsset {
  text: string;
  contentType: string;
}

export interface ConsoleShell {
  /** The page: no data, no inline script or style; it names its script and style by hash. */
  html: string;
  /** File name (under {@link CONSOLE_ASSETS_PATH}) → the asset. */
  assets: ReadonlyMap<string, ConsoleAsset>;
}

const hashed = (text: string, base: string, ext: string) =>
  `${base}-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.${ext}`;

/**
 * The shell and its two assets, named by content hash so that a browser may keep them a year and a
 * new version is a new name. Read once per process (`consolePlugin`).
 */
export function loadConsoleShell(dir: URL = CONSOLE_ASSETS_DIR): ConsoleShell {
  const read = (file: string) => readFileSync(new URL(file, dir), 'utf8');
  // Two files for their size, one script for the page: the helpers (no imports: a module would need
  // a stable URL of its own), then the page.
  const script = `${read('console-lib.js')}\n${read('console.js')}`;
  const style = read('console.css');
  const scriptFile = hashed(script, 'console', 'js');
  const styleFile = hashed(style, 'console', 'css');
  const html = read('console.html')
    .replace('{{script}}', `${CONSOLE_ASSETS_PATH}${scriptFile}`)
    .replace('{{style}}', `${CONSOLE_ASSETS_PATH}${styleFile}`);
  return {
    html,
    assets: new Map([
      [scriptFile, { text: script, contentType: 'text/javascript; charset=utf-8' }],
      [styleFile, { text: style, contentType: 'text/css; charset=utf-8' }],
    ]),
  };
}
