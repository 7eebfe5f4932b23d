/**
 * The continuous miner: start and stop it (operator actions), and watch its hash rate, asked
 * every 2 s while it runs; `miner` events tell when it starts or stops.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Answer, ClientError } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { hashRate } from '../../format.ts';
import { asClientError, useNode, useNodeEvents } from '../../node.tsx';
import { operatorTitle } from './MineNow.tsx';

type MinerStatus = Answer<'miner'>;

const POLL_MS = 2_000;

export function MinerControl() {
  const { client } = useNode();
  const [status, setStatus] = useState<MinerStatus>();
  const [loadError, setLoadError] = useState<ClientError>();
  const [error, setError] = useState<ClientError>();
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(() => {
    client.request('miner').then(
      (next) => {
        setStatus(next);
        setLoadError(undefined);
      },
      (e: unknown) => setLoadError(asClientError(e)),
    );
  }, [client]);
  useEffect(refresh, [refresh]);
  useNodeEvents(['miner', 'block'], refresh);
  const running = status?.running ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [running, refresh]);

  async function toggle() {
    setBusy(true);
    setError(undefined);
    try {
      setStatus(await client.request(running ? 'minerStop' : 'minerStart'));
    } catch (e) {
      setError(asClientError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="panel">
      <h2>Continuous miner</h2>
      {status ? (
        <dl className="fields" aria-label="Miner status">
          <dt>Status</dt>
          <dd data-testid="miner-status">
            <span className={running ? 'badge good' : 'badge muted'}>
              {running ? 'running' : 'stopped'}
            </span>
          </dd>
          <dt>Hash rate</dt>
          <dd data-testid="miner-hash-rate">{running ? hashRate(status.hash_rate) : '—'}</dd>
          <dt>Threads</dt>
          <dd>{status.threads}</dd>
          {status.blocks_mined !== undefined && (
            <>
              <dt>Blocks mined</dt>
              <dd>{status.blocks_mined}</dd>
            </>
          )}
        </dl>
      ) : (
        !loadError && <p className="muted">Loading…</p>
      )}
      {status && (
        <details className="miner-details">
          <summary>Details</summary>
          <p className="muted">
            Hashing code: <code>{status.kernel}</code> (the fastest this machine runs: SHA-NI
            instructions, WebAssembly SIMD or OpenSSL).
          </p>
        </details>
      )}
      <p className="row">
        <button
          type="button"
          className={running ? 'danger' : 'primary'}
          onClick={toggle}
          disabled={busy || !status}
        >
          {running ? 'Stop miner' : 'Start miner'}
        </button>
      </p>
      <ErrorNote error={loadError} title="Could not read the miner's status." />
      <ErrorNote error={error} title={operatorTitle(error, 'The miner did not answer.')} />
    </div>
  );
}
