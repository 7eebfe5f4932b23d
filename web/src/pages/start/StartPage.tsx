/**
 * Start here (issue 15, point 1): a guided path through the real pages, in the order of
 * anders94's demo (a hash, a block, a chain, many nodes, signed transfers, the reward, forks),
 * each step a few words of why, one thing to do on this node's live chain, and what to notice.
 * Hints appear where a first-time visitor gets stuck: no peers, nothing mined yet.
 */
import type { ReactNode } from 'react';
import { useNode } from '../../node.tsx';
import { href } from '../../router.ts';
import './start.css';

interface Step {
  readonly title: string;
  readonly why: ReactNode;
  readonly todo: ReactNode;
  readonly notice: ReactNode;
}

const steps: readonly Step[] = [
  {
    title: 'A hash',
    why: 'A hash is a short fingerprint of any data: the same bytes always give the same one, and the smallest change gives a completely different one.',
    todo: (
      <>
        Open <a href={href('tamper')}>Tamper</a> and add 1 to a block's timestamp.
      </>
    ),
    notice: 'Every character of the block’s hash changes, not just one.',
  },
  {
    title: 'A block',
    why: 'A block is a header (its parent’s hash, a fingerprint of its transactions, a time, a nonce) plus its transactions. Mining is guessing nonces until the header’s hash is at or below a target.',
    todo: (
      <>
        On <a href={href('mine')}>Mine</a>, press <em>Mine</em> a few times.
      </>
    ),
    notice:
      'How many tries each block took, how long, and that the count swings around the average the target asks for.',
  },
  {
    title: 'A chain',
    why: 'Each block names its parent’s hash. Change an old block and its hash changes, so its child no longer points at it.',
    todo: (
      <>
        On <a href={href('tamper')}>Tamper</a>, change a transfer’s amount, then mine that block
        again in your browser.
      </>
    ),
    notice:
      'The next block turns red: to rewrite history you must re-mine every block after it, faster than everyone else.',
  },
  {
    title: 'Many nodes',
    why: 'Every node keeps its own copy and checks every block itself; they tell each other about new blocks and follow the one with the most work.',
    todo: (
      <>
        On <a href={href('network')}>Network</a>, add another node’s address, mine here, and watch
        it arrive there.
      </>
    ),
    notice:
      'Each peer’s tip catching up with yours, and the block tree when two nodes mine at once.',
  },
  {
    title: 'Signed transfers',
    why: 'Coins move only with a signature made by the sender’s key; the key never leaves your wallet, the node only checks the signature.',
    todo: (
      <>
        In <a href={href('wallet')}>Wallet</a>, create a wallet, get coins, and send some to a
        second wallet.
      </>
    ),
    notice: 'Pending in and out, then “can spend now” once a block confirms it.',
  },
  {
    title: 'The reward',
    why: 'The first transaction of each block, the coinbase, pays the miner: the block reward plus the fees. It is where new coins come from, and the only place.',
    todo: (
      <>
        On <a href={href('tamper')}>Tamper</a>, make the latest block's coinbase pay you 1,000
        coins, mine it again, send it to the node, then mine a block on top of it and send that.
      </>
    ),
    notice:
      'Before re-mining the node refuses it (POW_INSUFFICIENT_WORK); re-mined, it keeps it aside, unchecked, as a branch no heavier than its chain; once a block on top makes that branch heavier, the node checks it in full and refuses it for what it is: BLOCK_COINBASE_TOO_LARGE.',
  },
  {
    title: 'Forks and attacks',
    why: 'Two miners can find a block at the same time; the network keeps both until one branch grows longer, and a transfer in the losing one goes back to waiting.',
    todo: (
      <>
        Open the <a href={href('lab')}>Lab</a> (or run <code>blockyard lab</code>) to stage a race,
        a double spend or a 51 % attack with real nodes, and watch the{' '}
        <a href={href('network')}>block tree</a> and the reorganisation banner.
      </>
    ),
    notice: 'Why a payment is only as safe as the number of blocks on top of it.',
  },
];

export function StartPage() {
  const { info } = useNode();
  return (
    <section className="start" aria-labelledby="start-title">
      <h1 id="start-title">Start here</h1>
      <p className="intro">
        blockyard is a real, small blockchain: this page is one node of it, and every step below is
        done on its live chain. Seven steps, from a single hash to an attack; each takes a minute or
        two. The API is described at <a href="/docs">/docs</a>; the rules every node checks, byte by
        byte, in <a href={href('protocol')}>the protocol</a> (any block's or transaction's page
        explains its own bytes: <em>Bytes, explained</em>).
      </p>
      {info && <FirstRunHints height={info.height} peers={info.peer_count} />}
      <ol className="start-steps">
        {steps.map((step, i) => (
          <li key={step.title} className="panel" data-testid={`step-${i + 1}`}>
            <h2>
              {i + 1}. {step.title}
            </h2>
            <p>{step.why}</p>
            <p>
              <strong>Do:</strong> {step.todo}
            </p>
            <p className="muted">
              <strong>Notice:</strong> {step.notice}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Where a first visit gets stuck on this node right now. */
function FirstRunHints({ height, peers }: { height: number; peers: number }) {
  const hints: ReactNode[] = [];
  if (height === 0) {
    hints.push(
      <>
        Nothing is mined yet, so no one has coins: press <em>Mine</em> on the{' '}
        <a href={href('mine')}>Mine</a> page (or start the node with <code>--mine</code>).
      </>,
    );
  }
  hints.push(
    <>
      No coins in your wallet? An empty address on the <a href={href('wallet')}>Wallet</a> page
      offers a way to get some: the class faucet, or this node’s own coins from its machine.
    </>,
  );
  if (peers === 0) {
    hints.push(
      <>
        This node has no peers yet: add one on <a href={href('network')}>Network</a> (another node’s{' '}
        <code>host:port</code>), or run <code>blockyard devnet</code> for several on this machine.
      </>,
    );
  }
  return (
    <ul className="notice start-hints" data-testid="start-hints">
      {hints.map((hint, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list rebuilt whole each render
        <li key={i}>{hint}</li>
      ))}
    </ul>
  );
}
