/** The support page (`console.enabled`): its shell, its assets and the one GraphQL path it calls. */
export const CONSOLE_PATH = '/console';
/** The page's script and style, named by content hash (`assets.ts`). */
export const CONSOLE_ASSETS_PATH = `${CONSOLE_PATH}/assets/`;
/** Where the page POSTs its operations; only the console's own (`operations.ts`), only with the `support` scope. */
export const CONSOLE_GRAPHQL_PATH = `${CONSOLE_PATH}/graphql`;

/** The scope a key needs for `/console/graphql`. */
export const SUPPORT_SCOPE = 'support';

/** Which of the console's paths `pathname` is, compared exactly (an asset: one segment under its folder). */
export function consolePathOf(pathname: string): 'page' | 'asset' | 'graphql' | undefined {
  if (pathname === CONSOLE_PATH) return 'page';
  if (pathname === CONSOLE_GRAPHQL_PATH) return 'graphql';
  if (
    pathname.startsWith(CONSOLE_ASSETS_PATH) &&
    /^[a-z0-9.-]+$/.test(pathname.slice(CONSOLE_ASSETS_PATH.length))
  )
    return 'asset';
  return undefined;
}
