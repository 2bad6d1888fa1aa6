import type { Page } from 'playwright-core';

/**
 * GraphiQL (the bundled @graphql-yoga/render-graphiql page) driven as a person drives it: the run
 * button, the list of operations it offers for a document holding several, the result pane.
 */

export type PaneResult = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

const EXECUTE = '.graphiql-execute-button';

/** Waits until GraphiQL has drawn its editors and the run button. */
export async function graphiqlReady(page: Page): Promise<void> {
  await page.locator(EXECUTE).waitFor({ state: 'visible', timeout: 30_000 });
  await page.locator('.graphiql-query-editor .view-line').first().waitFor({ timeout: 30_000 });
}

/**
 * Runs the operation `name` of the document in the editor: with several operations, the run
 * button opens a list of them, and picking one runs it.
 */
export async function runOperation(page: Page, name: string): Promise<void> {
  await page.waitForFunction(
    `!(document.querySelector('${EXECUTE}')?.getAttribute('aria-label') ?? '').startsWith('Stop')`,
  );
  await page.locator(EXECUTE).click();
  await page.locator('.graphiql-dropdown-item').getByText(name, { exact: true }).click();
}

/** True while a request or a live stream runs: the run button is then a stop button. */
export async function running(page: Page): Promise<boolean> {
  return ((await page.locator(EXECUTE).getAttribute('aria-label')) ?? '').startsWith('Stop');
}

/** Stops a running live stream with the stop button. */
export async function stop(page: Page): Promise<void> {
  await page.locator(EXECUTE).click();
}

/**
 * The text of the result pane. Monaco draws each line as an absolutely placed element, not in
 * document order, with no-break spaces, and indents the rest of a line it wraps (a long cursor).
 * JSON needs no line breaks and no indentation, so each line is joined bare without its leading
 * blanks (Monaco breaks a line after a blank, so none inside a string is lost).
 */
export async function paneText(page: Page): Promise<string> {
  return page.evaluate(`[...document.querySelectorAll('.graphiql-response .view-line')]
    .sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top))
    .map((line) => line.textContent.replaceAll('\\u00a0', ' ').trimStart())
    .join('')`);
}

/**
 * Waits until the result pane holds `field`'s answer (`data[field]`) or errors, and answers it:
 * what an earlier operation left there has neither. A stream's pane shows its latest event;
 * `until` waits for one that passes.
 */
export async function paneResult(
  page: Page,
  field: string,
  until: (result: PaneResult) => boolean = () => true,
  timeoutMs = 15_000,
): Promise<PaneResult> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    text = await paneText(page);
    const result = parse(text);
    if (
      result &&
      (result.errors !== undefined || (result.data != null && field in result.data)) &&
      until(result)
    )
      return result;
    if (Date.now() > deadline) throw new Error(`no answer of ${field} in the result pane; it shows: ${text}`);
    await page.waitForTimeout(100);
  }
}

function parse(text: string): PaneResult | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as PaneResult) : undefined;
  } catch {
    return undefined;
  }
}
