/**
 * The page at `/` until the dashboards arrive: what this node is and where to look. Plain HTML,
 * no script, so it shows even where JavaScript is off.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../deps.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function registerHomeRoute(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/', { schema: { hide: true } }, async (request, reply) => {
    const tip = deps.chain.tip;
    const links = [
      ['/api/info', 'the node at a glance (JSON)'],
      ['/chain', 'the whole chain, tutorial style'],
      ['/transactions/get', 'pending transactions'],
      ['/api/blocks', 'latest blocks'],
      ['/docs', 'every route, with a form to try it'],
    ];
    reply.type('text/html; charset=utf-8');
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>blockyard node</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}</style>
</head><body>
<h1>blockyard node</h1>
<p>Network <b>${escapeHtml(deps.params.name)}</b>, height <b>${tip.header.height}</b>, tip <code>${tip.hashHex.slice(0, 16)}…</code></p>
<p>Node address <code>${escapeHtml(deps.nodeKey.address)}</code></p>
<ul>${links.map(([href, text]) => `<li><a href="${href}">${href}</a> — ${text}</li>`).join('')}</ul>
<p>Mine a block from this machine: <code>curl http://${escapeHtml(String(request.headers.host ?? ''))}/mine</code></p>
</body></html>`;
  });
}
