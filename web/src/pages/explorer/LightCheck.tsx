import { toHex } from '../../../../src/core/bytes.ts';
import { type VerifiedProof, verifyTxProof } from '../../../../src/wallet/verifyTxProof.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { useCall, useNode } from '../../node.tsx';
import { href } from '../../router.ts';

/** Its section of docs/protocol.md. */
export const LIGHT_CLIENTS = 'merkle-proofs-and-light-clients-informative';

export function LightCheck({ id }: { id: string }) {
  const { client } = useNode();
  const { busy, answer: result, error, run } = useCall<VerifiedProof>();
  const check = () => run(() => verifyTxProof(client, id.toLowerCase()));

  return (
    <section className="light-check panel" aria-labelledby="light-check-title">
      <h2 id="light-check-title">Check it yourself</h2>
      <p className="muted">
        A light client keeps no blocks: it asks for this transaction's merkle path and the block
        headers above it, and checks them here, in your browser, trusting the node for nothing.{' '}
        <a href={href('protocol', LIGHT_CLIENTS)}>§ light clients</a>
      </p>
      <button type="button" onClick={check} disabled={busy}>
        {busy ? 'Checking…' : result ? 'Check again' : 'Check it here'}
      </button>
      <ErrorNote error={error} title="Could not get the proof." />
      {result && <Verdict result={result} id={id} />}
    </section>
  );
}

function Verdict({ result, id }: { result: VerifiedProof; id: string }) {
  const { verdict, proof } = result;
  return (
    <div data-testid="light-verdict">
      <p className={verdict.ok ? 'good' : 'bad'} role="status">
        <strong>
          {verdict.ok
            ? `In block #${proof.height}, under ${verdict.confirmations - 1} more blocks of proof of work: checked here.`
            : 'The proof does not hold: this node’s answer cannot be trusted.'}
        </strong>
      </p>
      <ul className="checks">
        {verdict.checks.map((c) => (
          <li key={c.check} className={c.ok ? 'good' : 'bad'}>
            {c.ok ? '✓' : '✗'} {c.check}
            <span className="muted mono"> {c.detail}</span>
          </li>
        ))}
      </ul>
      <h3>
        The merkle path <a href={href('protocol', 'merkle-root')}>§ merkle root</a>
      </h3>
      <ol className="hash-steps merkle-path">
        <li>
          the transaction id <span className="mono">{id}</span>
        </li>
        {proof.path.map((step, i) => (
          <li key={step.hash}>
            hashed with <span className="mono">{step.hash}</span> on the {step.side}: SHA-256d ={' '}
            <span className="mono">{toHex(verdict.pathHashes[i + 1]!)}</span>
          </li>
        ))}
        {verdict.header && (
          <li>
            the header's merkle root:{' '}
            <span className="mono">{toHex(verdict.header.merkleRoot)}</span>
          </li>
        )}
      </ol>
    </div>
  );
}
