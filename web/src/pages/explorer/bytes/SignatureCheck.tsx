/**
 * A transfer's signature checked here, in the browser, with the core's verifier (the consensus
 * rule of src/core/ed25519.ts): which bytes are signed (the tag, then every field but the
 * signature), the key that must have signed them, the signature, and the verdict.
 */
import { toHex } from '../../../../../src/core/bytes.ts';
import { isStrictPublicKey } from '../../../../../src/core/ed25519.ts';
import { TX_SIGNING_TAG, txSigningBytes } from '../../../../../src/core/encoding/tx.ts';
import { nobleVerify } from '../../../../../src/core/nobleEd25519.ts';
import type { Transfer } from '../../../../../src/core/types.ts';
import { href } from '../../../router.ts';

export function SignatureCheck({ tx, from }: { tx: Transfer; from: string }) {
  const preimage = txSigningBytes(tx);
  const strict = isStrictPublicKey(tx.from);
  const valid = strict && nobleVerify(tx.from, preimage, tx.signature);
  const tag = preimage.subarray(0, TX_SIGNING_TAG.length);
  const body = preimage.subarray(TX_SIGNING_TAG.length);
  return (
    <ol className="hash-steps" data-testid="signature-check">
      <li>
        <strong>The signed bytes</strong> ({preimage.length}): the tag “blockyard/tx/v1”, then the
        transfer's first {body.length} bytes, every field but the signature.{' '}
        <a href={href('protocol', 'signing-preimage')}>§ signing preimage</a>
        <p className="mono">
          <span className="tag-bytes">{toHex(tag)}</span> {toHex(body)}
        </p>
      </li>
      <li>
        <strong>The key that must have signed them</strong>: the sender's, <em>from</em> ({from})
        <p className="mono">{toHex(tx.from)}</p>
      </li>
      <li>
        <strong>The signature</strong>, R then S{' '}
        <a href={href('protocol', 'signatures')}>§ signatures</a>
        <p className="mono">{toHex(tx.signature)}</p>
      </li>
      <li>
        <strong>Ed25519 verification, run in this browser:</strong>{' '}
        <span data-testid="signature-verdict" className={valid ? 'badge good' : 'badge bad'}>
          {valid ? 'valid' : 'invalid'}
        </span>
        <p>
          {valid
            ? 'Only the holder of this key could have made this signature over these bytes: change any field, even by one bit, and it no longer verifies.'
            : strict
              ? 'The signature does not verify with this key over these bytes: a node refuses this transfer (TX_BAD_SIGNATURE).'
              : 'The sender key is not a key a transfer may be sent from: a node refuses it.'}
        </p>
      </li>
    </ol>
  );
}
