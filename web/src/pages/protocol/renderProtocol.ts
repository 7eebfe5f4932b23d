/**
 * docs/protocol.md as HTML for the Protocol page, rendered with marked. Each heading gets its
 * GitHub anchor as its id; links between sections become dashboard routes (#/protocol/<anchor>),
 * since the dashboard's pages live in the URL's hash; errors.md becomes the node's own error
 * table (/api/errors); any other relative link (to the repository's files) keeps only its text.
 *
 * SECURITY: the markdown is the repository's own file, bundled at build time; no text from the
 * node or a visitor reaches it.
 */
import { Marked } from 'marked';
import { headingSlug } from './slug.js';

export interface RenderedDoc {
  readonly html: string;
  readonly anchors: readonly string[];
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function renderProtocol(markdown: string): RenderedDoc {
  const anchors: string[] = [];
  const marked = new Marked({
    renderer: {
      heading({ tokens, depth, text }) {
        const slug = headingSlug(text.replace(/`/g, ''));
        anchors.push(slug);
        return `<h${depth} id="protocol-${slug}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      link({ href, tokens }) {
        const inner = this.parser.parseInline(tokens);
        if (href.startsWith('#'))
          return `<a href="#/protocol/${escapeHtml(href.slice(1))}">${inner}</a>`;
        if (href === 'errors.md') return `<a href="/api/errors">${inner}</a>`;
        if (/^https?:\/\//.test(href)) return `<a href="${escapeHtml(href)}">${inner}</a>`;
        return inner;
      },
    },
  });
  const html = marked.parse(markdown, { async: false });
  return { html, anchors };
}
