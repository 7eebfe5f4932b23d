/**
 * The dashboard at `/`: the web app built by `npm run build:web` into dist/web, read into
 * memory at its first request (a handful of files) and served from there, so no later request
 * reaches the file system. PERF: not at start: a node nobody opens in a browser does not hold
 * the 0.8 MB (bench/memory.ts). Built assets have content hashes in their names and are cached for
 * a year; index.html is revalidated each time. Without a build (a checkout where `npm run build`
 * was not run) `/` says so in a small page of plain HTML.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../apiError.js';
import type { ApiDeps } from '../deps.js';
import type { Api } from '../routeOptions.js';

interface WebFile {
  readonly body: Buffer;
  readonly type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** dist/web seen from dist/api/routes (the package) or from src/api/routes (running from source). */
const CANDIDATES = ['../../web/', '../../../dist/web/'].map((path) =>
  fileURLToPath(new URL(path, import.meta.url)),
);

export function findWebRoot(): string | undefined {
  return CANDIDATES.find((dir) => existsSync(join(dir, 'index.html')));
}

export function loadWebFiles(root: string): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const url = `/${relative(root, path).split(sep).join('/')}`;
        const type = TYPES[extname(entry.name)] ?? 'application/octet-stream';
        files.set(url, { body: readFileSync(path), type });
      }
    }
  };
  walk(root);
  return files;
}

export function registerHomeRoute(app: Api, deps: ApiDeps): void {
  let loaded: Map<string, WebFile> | undefined;
  const web = () => {
    if (loaded) return loaded;
    const root = findWebRoot();
    loaded = root ? loadWebFiles(root) : new Map<string, WebFile>();
    return loaded;
  };

  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('cache-control', 'no-cache');
    const index = web().get('/index.html');
    if (index) return reply.type(index.type).send(index.body);
    return reply.type('text/html; charset=utf-8').send(notBuiltPage(deps));
  });

  app.get('/assets/*', { schema: { hide: true } }, async (request, reply) => {
    const file = web().get(request.url.split('?')[0]!);
    if (!file) throw new ApiError('API_NOT_FOUND', `no file ${request.url} in the dashboard`);
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return reply.type(file.type).send(file.body);
  });
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function notBuiltPage(deps: ApiDeps): string {
  const tip = deps.chain.tip;
  const links = [
    ['/api/info', 'the node at a glance (JSON)'],
    ['/chain', 'the whole chain, tutorial style'],
    ['/api/blocks', 'latest blocks'],
    ['/docs', 'every route, with a form to try it'],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>blockyard node</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}</style>
</head><body>
<h1>blockyard node</h1>
<p>The dashboard is not built in this checkout: run <code>npm run build</code>, then reload.</p>
<p>Network <b>${escapeHtml(deps.params.name)}</b>, height <b>${tip.header.height}</b>, tip <code>${tip.hashHex.slice(0, 16)}…</code></p>
<ul>${links.map(([href, text]) => `<li><a href="${href}">${href}</a> — ${text}</li>`).join('')}</ul>
</body></html>`;
}
