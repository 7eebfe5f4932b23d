/**
 * Joining this node's class (GET /api/join): the dashboard's URL as text and as a QR code (a
 * phone's camera opens it), the one line a student types to run a node of their own, and the
 * faucet, which the operator can turn off and on here.
 */
import { useState } from 'react';
import { encode } from 'uqr';
import type { ClientError } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { asClientError, useLoad, useNode } from '../../node.tsx';
import { type JoinView, loadJoin, setFaucet } from './networkApi.ts';

export function JoinClass() {
  const { client } = useNode();
  const join = useLoad(loadJoin, []);
  const [error, setError] = useState<ClientError>();
  const data: JoinView | undefined = join.data;
  if (!data) return <ErrorNote error={join.error} title="How to join could not be loaded." />;
  const toggle = () =>
    setFaucet(client, !data.faucet.enabled).then(
      () => {
        setError(undefined);
        join.reload();
      },
      (e: unknown) => setError(asClientError(e)),
    );
  return (
    <div className="panel join" data-testid="join">
      <h2>Join this class</h2>
      {data.dashboard_url === null ? (
        <p className="muted" data-testid="join-problem">
          Nobody can join yet: {data.problem}
        </p>
      ) : (
        <div className="join-body">
          <QrCode text={data.dashboard_url} />
          <div>
            <p>
              With a browser, open{' '}
              <a className="mono" href={data.dashboard_url} data-testid="join-url">
                {data.dashboard_url}
              </a>{' '}
              (or scan the code), make a wallet on the Wallet page
              {data.faucet.enabled ? ', and get coins from the faucet there.' : '.'}
            </p>
            {data.urls.length > 1 && (
              <p className="muted small">
                This machine can also be reached at {data.urls.slice(1).join(', ')}.
              </p>
            )}
            <p>With a node of your own, type:</p>
            <pre className="command" data-testid="join-command">
              {data.command}
            </pre>
          </div>
        </div>
      )}
      <p data-testid="faucet-state">
        {!data.faucet.available ? (
          <span className="muted">
            No faucet: start the node with <code>--faucet 10</code> to give each new wallet 10
            coins.
          </span>
        ) : (
          <>
            Faucet {data.faucet.enabled ? 'on' : 'off'}: {data.faucet.amount_coins} coins to each
            new wallet, once an hour per address and per computer.{' '}
            <button type="button" className="small-button" onClick={toggle}>
              {data.faucet.enabled ? 'Turn the faucet off' : 'Turn the faucet on'}
            </button>
          </>
        )}
      </p>
      <ErrorNote error={error} title="The faucet could not be changed." />
    </div>
  );
}

/** A QR code as SVG squares (uqr encodes; nothing is injected as HTML). */
function QrCode({ text }: { text: string }) {
  const { data, size } = encode(text, { border: 2 });
  let path = '';
  data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) path += `M${x} ${y}h1v1h-1z`;
    });
  });
  return (
    <svg
      className="qr"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={`QR code of ${text}`}
      data-testid="join-qr"
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
