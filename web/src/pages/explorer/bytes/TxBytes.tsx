/**
 * The transaction page's "Bytes" view: its canonical bytes field by field (re-encoded here by the
 * core from the node's JSON), its id worked out (SHA-256 twice over every byte), and, for a
 * transfer, its signature checked in the browser.
 */
import { encodeAddress } from '../../../../../src/core/address.ts';
import { toHex } from '../../../../../src/core/bytes.ts';
import { layoutTx } from '../../../../../src/core/encoding/fieldLayout.ts';
import { encodeTx } from '../../../../../src/core/encoding/tx.ts';
import { sha256 } from '../../../../../src/core/hash.ts';
import type { Tx } from '../../../../../src/core/types.ts';
import { href } from '../../../router.ts';
import { ByteInspector } from './ByteInspector.tsx';
import { SignatureCheck } from './SignatureCheck.tsx';

export function TxBytes({ tx, id, addressPrefix }: { tx: Tx; id: string; addressPrefix: string }) {
  const bytes = encodeTx(tx);
  const laid = layoutTx(bytes);
  if (!laid.ok) return <p className="bad">These bytes do not decode: {laid.detail}</p>;
  const first = sha256(bytes);
  const computed = toHex(sha256(first));
  return (
    <section className="bytes-view" aria-labelledby="tx-bytes-title">
      <h2 id="tx-bytes-title">The transaction's {bytes.length} bytes</h2>
      <p className="muted">Point at a field to see its bytes, or at bytes to see their field.</p>
      <ByteInspector fields={laid.value} addressPrefix={addressPrefix} label="The transaction" />
      <h3>Its id</h3>
      <ol className="hash-steps">
        <li>
          <strong>SHA-256 of all {bytes.length} bytes</strong>
          {tx.type === 'transfer' && ', the signature included'}{' '}
          <a href={href('protocol', 'transaction-id')}>§ transaction id</a>
          <p className="mono">{toHex(first)}</p>
        </li>
        <li>
          <strong>SHA-256 of that: the id</strong>{' '}
          {computed === id ? (
            <span className="badge good">the node's id</span>
          ) : (
            <span className="badge bad">not the id the node gave</span>
          )}
          <p className="mono" data-testid="computed-id">
            {computed}
          </p>
        </li>
      </ol>
      {tx.type === 'transfer' ? (
        <>
          <h3>Its signature, checked here</h3>
          <SignatureCheck tx={tx} from={encodeAddress(tx.from, addressPrefix)} />
        </>
      ) : (
        <p className="muted">
          A coinbase has no signature: what it may pay is a rule every node checks (
          <a href={href('protocol', 'coinbase')}>§ coinbase</a>).
        </p>
      )}
    </section>
  );
}
