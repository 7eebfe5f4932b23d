/**
 * How a block's hash comes out of its header, step by step and computed here in the browser:
 * the 92 header bytes, SHA-256 of them, SHA-256 of that (the block hash), and that hash read as a
 * number against the target its bits declare (docs/protocol.md §Block header, §Proof of work).
 */
import { toHex } from '../../../../../src/core/bytes.ts';
import { encodeHeader } from '../../../../../src/core/encoding/header.ts';
import { sha256 } from '../../../../../src/core/hash.ts';
import { decodeBits, hashMeetsTarget } from '../../../../../src/core/pow.ts';
import type { BlockHeader } from '../../../../../src/core/types.ts';
import { href } from '../../../router.ts';

/** How many leading zero bits a hash has: what "meets a target" looks like. */
function zeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) bits += 8;
    else return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

export function HashSteps({ header, claimedHash }: { header: BlockHeader; claimedHash: string }) {
  const bytes = encodeHeader(header);
  const first = sha256(bytes);
  const second = sha256(first);
  const hash = toHex(second);
  const target = decodeBits(header.bits).target;
  const meets = hashMeetsTarget(second, target);
  return (
    <ol className="hash-steps" data-testid="hash-steps">
      <li>
        <strong>The header's 92 bytes</strong>{' '}
        <span className="muted">(the fields above, in order)</span>
        <p className="mono">{toHex(bytes)}</p>
      </li>
      <li>
        <strong>SHA-256 of them</strong>
        <p className="mono">{toHex(first)}</p>
      </li>
      <li>
        <strong>SHA-256 of that: the block's hash</strong>{' '}
        {hash === claimedHash ? (
          <span className="badge good">the node's hash</span>
        ) : (
          <span className="badge bad">not the hash the node gave ({claimedHash})</span>
        )}
        <p className="mono" data-testid="computed-hash">
          {hash}
        </p>
      </li>
      <li>
        <strong>Read as a number, at most the target?</strong>{' '}
        <a href={href('protocol', 'proof-of-work')}>§ proof of work</a>
        <p className="mono">
          hash&nbsp;&nbsp;&nbsp;{hash}
          <br />
          target {target.toString(16).padStart(64, '0')}
        </p>
        <p data-testid="pow-verdict" className={meets ? 'good' : 'bad'}>
          {meets
            ? `Yes: the hash starts with ${zeroBits(second)} zero ${zeroBits(second) === 1 ? 'bit' : 'bits'}, at or below the target. This is the proof of work.`
            : 'No: the hash is above the target. This header has no proof of work.'}
        </p>
      </li>
    </ol>
  );
}
