import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);

export const HUB_TITLE = 'コワーキング情報ハブ / Coworking Hub';

/** The query the first GraphiQL tab opens with: one request that crosses four subgraphs. */
export const DEMO_QUERY = `# ${HUB_TITLE}
# スペースごとに自治体・運営者・今後のイベントを一度に取得します。
# One request across subgraphs: each space with its municipality, operator and upcoming events.
{
  spaces {
    totalCount
    nodes {
      id
      name
      municipality {
        id
        code
        name
      }
      operator {
        id
        name
      }
      upcomingEvents {
        totalCount
        nodes {
          id
          title
        }
      }
    }
  }
}
`;

export type StaticAsset = {
  contentType: string;
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  cacheControl: string;
};

export type GraphiqlSite = {
  /** The page (`/`) or one of its assets (`/_assets/…`); undefined for any other path. */
  get(pathname: string): Promise<StaticAsset | undefined>;
};

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const HTML = 'text/html; charset=utf-8';
// Asset names carry their package version, so a browser may keep them for good.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** Nothing but the page's own origin: the page works offline and loads no third-party code. */
export const GRAPHIQL_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // GraphiQL and CodeMirror set inline styles; its fonts and icons are data: URIs.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

type Source = { contentType: string; cacheControl: string; load: () => Promise<Buffer | string> };

/**
 * GraphiQL served entirely from installed npm packages (graphiql's UMD bundle and stylesheet,
 * React 18 UMD builds): no CDN, so it works offline and on closed networks. Files are read and
 * gzipped once, on first request.
 */
export function createGraphiqlSite(options: { endpointPath: string }): GraphiqlSite {
  const require = createRequire(import.meta.url);
  const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
  const versionOf = (name: string) =>
    (require(`${name}/package.json`) as { version: string }).version;
  const file = (name: string, path: string) => () => readFile(join(packageDir(name), path));

  const assets = {
    graphiqlJs: `/_assets/graphiql-${versionOf('graphiql')}.min.js`,
    graphiqlCss: `/_assets/graphiql-${versionOf('graphiql')}.min.css`,
    react: `/_assets/react-${versionOf('react')}.production.min.js`,
    reactDom: `/_assets/react-dom-${versionOf('react-dom')}.production.min.js`,
    start: '/_assets/graphiql-start.js',
  };
  const sources = new Map<string, Source>([
    ['/', { contentType: HTML, cacheControl: REVALIDATE, load: async () => renderPage(assets) }],
    [
      assets.graphiqlJs,
      { contentType: JS, cacheControl: IMMUTABLE, load: file('graphiql', 'graphiql.min.js') },
    ],
    [
      assets.graphiqlCss,
      { contentType: CSS, cacheControl: IMMUTABLE, load: file('graphiql', 'graphiql.min.css') },
    ],
    [
      assets.react,
      {
        contentType: JS,
        cacheControl: IMMUTABLE,
        load: file('react', 'umd/react.production.min.js'),
      },
    ],
    [
      assets.reactDom,
      {
        contentType: JS,
        cacheControl: IMMUTABLE,
        load: file('react-dom', 'umd/react-dom.production.min.js'),
      },
    ],
    [
      assets.start,
      {
        contentType: JS,
        cacheControl: REVALIDATE,
        load: async () => renderStartScript(options.endpointPath),
      },
    ],
  ]);

  const loaded = new Map<string, Promise<StaticAsset>>();
  return {
    get(pathname) {
      const source = sources.get(pathname);
      if (!source) return Promise.resolve(undefined);
      let asset = loaded.get(pathname);
      if (!asset) {
        asset = prepare(source);
        // A failed read is retried on the next request rather than cached.
        asset.catch(() => loaded.delete(pathname));
        loaded.set(pathname, asset);
      }
      return asset;
    },
  };
}

async function prepare(source: Source): Promise<StaticAsset> {
  const content = await source.load();
  const body = typeof content === 'string' ? Buffer.from(content) : content;
  return {
    contentType: source.contentType,
    cacheControl: source.cacheControl,
    body,
    gzipped: await gzip(body),
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
  };
}

function renderPage(
  assets: Record<'graphiqlJs' | 'graphiqlCss' | 'react' | 'reactDom' | 'start', string>,
): string {
  return `<!doctype html>
<html lang="ja">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${HUB_TITLE} — GraphQL API</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${assets.graphiqlCss}" />
    <style>
      html, body { height: 100%; margin: 0; }
      #graphiql { height: 100vh; }
    </style>
  </head>
  <body>
    <div id="graphiql">
      <h1>${HUB_TITLE}</h1>
      <noscript>GraphiQL を使うには JavaScript を有効にしてください (enable JavaScript to use GraphiQL).</noscript>
    </div>
    <script src="${assets.react}"></script>
    <script src="${assets.reactDom}"></script>
    <script src="${assets.graphiqlJs}"></script>
    <script src="${assets.start}"></script>
  </body>
</html>
`;
}

function renderStartScript(endpointPath: string): string {
  const config = JSON.stringify({ endpointPath, title: HUB_TITLE, query: DEMO_QUERY });
  return `'use strict';
(function () {
  var config = ${config};
  var fetcher = GraphiQL.createFetcher({ url: new URL(config.endpointPath, window.location.href).href });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(
      GraphiQL,
      {
        fetcher: fetcher,
        defaultQuery: config.query,
        defaultTabs: [{ query: config.query }],
        shouldPersistHeaders: false,
      },
      React.createElement(GraphiQL.Logo, null, config.title),
    ),
  );
})();
`;
}
