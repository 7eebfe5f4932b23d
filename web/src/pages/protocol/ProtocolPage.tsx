/**
 * The protocol's specification (docs/protocol.md), served by the dashboard itself so that the
 * byte inspector's links to "its section of the protocol" always land on a page this node has:
 * #/protocol/<anchor> opens the page at that section.
 */
import { useEffect, useMemo } from 'react';
import markdown from '../../../../docs/protocol.md?raw';
import { href } from '../../router.ts';
import { renderProtocol } from './renderProtocol.ts';
import './protocol.css';

export function ProtocolPage({ section }: { section: string | undefined }) {
  const doc = useMemo(() => renderProtocol(markdown), []);
  const known = section === undefined || doc.anchors.includes(section);
  useEffect(() => {
    const target = section && document.getElementById(`protocol-${section}`);
    if (target) target.scrollIntoView();
    else window.scrollTo(0, 0);
  }, [section]);
  return (
    <section className="protocol">
      {!known && (
        <p className="notice">
          The protocol has no section “{section}”; here is the whole of it.{' '}
          <a href={href('protocol')}>Top</a>
        </p>
      )}
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: the repository's own markdown, bundled at build time (renderProtocol.ts). */}
      <article dangerouslySetInnerHTML={{ __html: doc.html }} />
    </section>
  );
}
