/**
 * One lab node on the Lab page: its state and lab status as the node reports them (hash-rate
 * cap, mining, withheld blocks), its controls, its mempool, and what each actor holds on its
 * chain — in coins. Nodes disagree during a fork or a race; each card shows its own node's view.
 */
import type { ReactNode } from 'react';
import { coins, short } from '../../format.ts';
import { colorOf } from './LabTree.tsx';
import type { LabActor, LabNodeView } from './labApi.ts';

const RATES = [1_000, 2_000, 5_000, 10_000, 20_000, 50_000];

export function LabNodeCard({
  node,
  names,
  actors,
  busy,
  act,
}: {
  node: LabNodeView;
  names: readonly string[];
  actors: readonly LabActor[];
  busy: boolean;
  act: (body: Record<string, unknown>) => void;
}) {
  const s = node.status;
  const running = node.state === 'running';
  const cut = s?.links.filter((l) => l.cut).length ?? 0;
  const withheld = s?.withholding.blocks.length ?? 0;
  const nameOf = (address: string) =>
    actors.find((a) => a.address === address)?.name ?? short(address, 6);
  return (
    <div className="lab-node" data-testid={`lab-node-${node.name}`}>
      <b style={{ color: colorOf(names, node.name) }}>{node.name}</b>{' '}
      <span className={`lab-state ${node.state}`}>{node.state}</span>
      <div className="small muted">
        {s
          ? `${s.mining ? 'mining' : 'not mining'} · cap ${s.hash_rate_cap === null ? 'none' : `${s.hash_rate_cap.toLocaleString('en-US')} H/s`} · measured ${s.hash_rate.toLocaleString('en-US')} H/s${cut > 0 ? ` · ${cut} link(s) cut` : ''}${s.withholding.on ? ` · withholding ${withheld}` : ''}`
          : node.state === 'paused'
            ? 'asleep (SIGSTOP): it hears nothing and answers nothing until woken'
            : '—'}
      </div>
      <div className="row">
        <select
          aria-label={`Hash rate of ${node.name}`}
          value={s?.hash_rate_cap ?? ''}
          disabled={busy || !s}
          onChange={(e) =>
            act({ action: 'hash_rate', node: node.name, rate: Number(e.currentTarget.value) })
          }
        >
          {s?.hash_rate_cap === null && (
            <option value="" disabled>
              no cap
            </option>
          )}
          {RATES.map((r) => (
            <option key={r} value={r}>
              {r.toLocaleString('en-US')} H/s
            </option>
          ))}
          {s && s.hash_rate_cap !== null && !RATES.includes(s.hash_rate_cap) && (
            <option value={s.hash_rate_cap}>{s.hash_rate_cap.toLocaleString('en-US')} H/s</option>
          )}
        </select>
        <Button
          disabled={busy || !s}
          onClick={() => act({ action: 'mining', node: node.name, on: !s?.mining })}
        >
          {s?.mining ? 'Stop mining' : 'Mine'}
        </Button>
        {node.state === 'paused' ? (
          <Button disabled={busy} onClick={() => act({ action: 'resume', node: node.name })}>
            Wake
          </Button>
        ) : (
          <Button
            disabled={busy || !running}
            onClick={() => act({ action: 'pause', node: node.name })}
          >
            Pause
          </Button>
        )}
        <Button
          disabled={busy}
          onClick={() =>
            act({ action: node.state === 'stopped' ? 'restart' : 'stop', node: node.name })
          }
        >
          {node.state === 'stopped' ? 'Restart' : 'Stop'}
        </Button>
        <Button
          disabled={busy || !s}
          onClick={() => act({ action: 'withhold', node: node.name, on: !s?.withholding.on })}
        >
          {s?.withholding.on ? 'Drop private branch' : 'Withhold'}
        </Button>
        {s?.withholding.on && (
          <Button
            disabled={busy || withheld === 0}
            onClick={() => act({ action: 'release', node: node.name })}
          >
            Release {withheld}
          </Button>
        )}
      </div>
      {node.views && (
        <div className="lab-holdings small" data-testid={`lab-holdings-${node.name}`}>
          <div>
            <b>Mempool</b>: {node.views.mempool.count} pending
            {node.views.mempool.txs.length > 0 && (
              <ul>
                {node.views.mempool.txs.slice(0, 5).map((tx) => (
                  <li key={tx.id}>
                    {coins(tx.amount)} coins {nameOf(tx.from)} → {nameOf(tx.to)} (fee{' '}
                    {coins(tx.fee)})
                  </li>
                ))}
              </ul>
            )}
          </div>
          <b>Balances</b> in coins, on {node.name}'s chain:
          <dl className="lab-balances">
            {actors.map((a) => (
              <div key={a.name}>
                <dt title={a.address}>{a.name}</dt>
                <dd className="mono">{coins(node.views?.balances[a.name])}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </div>
  );
}

function Button({
  disabled,
  onClick,
  children,
}: {
  disabled: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button type="button" className="button" disabled={disabled} onClick={onClick}>
      {children}
    </button>
  );
}
