import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { GRAPHQL_PATH } from './edge.js';
import { EncodedTexts } from './page-compression.js';

/** Where GraphiQL's assets are served, sandbox mode only (the only mode with GraphiQL). */
export const GRAPHIQL_ASSETS_PATH = `${GRAPHQL_PATH}/assets/`;

interface Asset {
  text: string;
  contentType: string;
}

/** The page split into a small page and its assets (named by content hash), or null when its shape is unknown. */
interface SplitPage {
  page: string;
  assets: Map<string, Asset>;
}

const name = (text: string, ext: string) =>
  `graphiql-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.${ext}`;

/**
 * Yoga's bundled GraphiQL page inlines everything so that it works offline: 9 MB, its script 8 MB (the
 * editor's web workers as strings), its style 0.8 MB and a 150 kB icon. Those parts are the same for
 * every page, so they move to files of their own, named by content hash and cached for a year by the
 * browser; the page keeps its render call (which holds the page's own options, the API key header of
 * sandbox mode included) and is a few hundred bytes. When the page does not have the expected shape (a
 * new GraphiQL version), it is served whole, compressed: nothing breaks.
 */
export function splitGraphiQLPage(html: string): SplitPage | null {
  const styleStart = html.indexOf('<style>');
  const styleEnd = html.indexOf('</style>', styleStart);
  const scriptStart = html.indexOf('<script>');
  const render = html.lastIndexOf('YogaGraphiQL.renderYogaGraphiQL(');
  const icon = /<link rel="icon" href="data:image\/x-icon;base64,([A-Za-z0-9+/=]+)" \/>/.exec(html);
  if (styleStart < 0 || styleEnd < 0 || scriptStart < 0 || render < scriptStart || scriptStart < styleEnd)
    return null;
  const script = html.slice(scriptStart + '<script>'.length, render);
  const style = html.slice(styleStart + '<style>'.length, styleEnd);
  const assets = new Map<string, Asset>();
  const add = (text: string, ext: string, contentType: string) => {
    const file = name(text, ext);
    assets.set(file, { text, contentType });
    return `${GRAPHIQL_ASSETS_PATH}${file}`;
  };
  const scriptUrl = add(script, 'js', 'text/javascript; charset=utf-8');
  const styleUrl = add(style, 'css', 'text/css; charset=utf-8');
  let head = html.slice(0, styleStart);
  if (icon?.[1]) {
    // Kept as text: the asset table holds strings; the icon is served decoded below.
    const iconUrl = add(icon[1], 'ico', 'image/x-icon');
    head = head.replace(icon[0], `<link rel="icon" href="${iconUrl}" />`);
  }
  const page = `${head}<link rel="stylesheet" href="${styleUrl}" />${html.slice(styleEnd + '</style>'.length, scriptStart)}<script src="${scriptUrl}"></script>\n<script>${html.slice(render)}`;
  return { page, assets };
}

/**
 * Serves GraphiQL's page split ({@link splitGraphiQLPage}) and compressed, and its assets at
 * {@link GRAPHIQL_ASSETS_PATH}. Goes first among the plugins: an asset is public, static, holds no
 * data and needs no key, and the edge would refuse its path.
 */
export function graphiqlAssetsPlugin(): Plugin {
  const encoded = new EncodedTexts();
  let last: { html: string; split: SplitPage | null } | undefined;
  const assets = new Map<string, Asset>();
  return {
    async onRequest({ request, url, endResponse }) {
      if (!url.pathname.startsWith(GRAPHIQL_ASSETS_PATH) || request.method !== 'GET') return;
      const asset = assets.get(url.pathname.slice(GRAPHIQL_ASSETS_PATH.length));
      if (!asset) return; // the edge answers 404
      const headers = {
        'content-type': asset.contentType,
        'cache-control': 'public, max-age=31536000, immutable',
      };
      if (asset.contentType === 'image/x-icon') {
        const bytes = Buffer.from(asset.text, 'base64');
        endResponse(new Response(new Uint8Array(bytes), { status: 200, headers }));
        return;
      }
      endResponse(await encoded.response(asset.text, request.headers.get('accept-encoding'), headers));
    },
    async onResponse({ request, response, setResponse }) {
      if (response.status !== 200 || !response.headers.get('content-type')?.startsWith('text/html')) return;
      if (new URL(request.url).pathname !== GRAPHQL_PATH || response.headers.has('content-encoding')) return;
      const html = await response.text();
      if (last?.html !== html) {
        last = { html, split: splitGraphiQLPage(html) };
        for (const [file, asset] of last.split?.assets ?? []) assets.set(file, asset);
      }
      const page = last.split?.page ?? html;
      setResponse(await encoded.response(page, request.headers.get('accept-encoding'), response.headers));
    },
  };
}
