/**
 * What every scenario shares: its options and result, and the steps they all take (fund a
 * wallet from a miner, wait until a transfer confirms on a node). Waits are on the timeline's
 * events, never on a clock.
 */
import { ClientError } from '../../api/client.js';
import { formatCoins } from '../../core/index.js';
import type { Wallet } from '../actors.js';
import { txState } from '../actors.js';
import type { Lab } from '../lab.js';
import { describeNetwork } from '../networkState.js';
import type { LabEvent } from '../timeline.js';

export interface ScenarioOptions {
  /** Confirmations the merchant waits for. */
  readonly k: number;
  /** The attacker's share of the hash power (the 51 % and selfish cases). */
  readonly q: number;
  /** The whole network's hash rate, hashes per second (~2^14 hashes a block). */
  readonly networkRate: number;
  /** Selfish mining: blocks the best chain grows by during the attack. */
  readonly blocks?: number;
  /** Selfish mining: keep going until at least this many honest blocks were orphaned. */
  readonly orphans?: number;
}

export interface ScenarioResult {
  readonly scenario: string;
  readonly options: ScenarioOptions;
  /** Whether the attacker got both the goods and its coins back. */
  readonly attackSucceeded: boolean;
  readonly merchantShipped: boolean;
  /** The payment's fate on the merchant's node at the end. */
  readonly payment: string;
  readonly story: readonly string[];
  readonly figures: Readonly<Record<string, number | string | boolean>>;
  readonly runMs: number;
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  /** The nodes it runs on, in start order. */
  readonly nodes: readonly string[];
  /** Its attacker's share when none is given (else DEFAULT_OPTIONS.q). */
  readonly defaultQ?: number;
  /** Reward addresses by node (the attacker's node pays the attacker's wallet). */
  minerAddresses(actors: { attacker: Wallet }): Record<string, string>;
  run(lab: Lab, actors: { attacker: Wallet }, options: ScenarioOptions): Promise<ScenarioResult>;
}

/** The network's hash rate split between an attacker with share `q` and the honest miner (each ≥ 1 H/s). */
export function splitRate(
  networkRate: number,
  q: number,
): { attackerRate: number; honestRate: number } {
  const attackerRate = Math.max(1, Math.round(networkRate * q));
  return { attackerRate, honestRate: Math.max(1, networkRate - attackerRate) };
}

export interface UntilOptions {
  readonly timeoutMs?: number;
  /** A transfer whose state on every node the timeout's message gives. */
  readonly txId?: string;
  /** Whether a timeout describes every node (tip, mempool, peers); off for short probes. */
  readonly describe?: boolean;
}

/**
 * Resolves once `check` holds, checking again after each event from `node`. On timeout it
 * rejects with what it waited for and each node's tip, mempool and peers at that moment.
 */
export async function until<T>(
  lab: Lab,
  node: string,
  check: () => Promise<T | undefined | false>,
  what: string,
  { timeoutMs = 120_000, txId, describe = true }: UntilOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const arm = () => {
    const next = lab.timeline.waitFor((e) => e.node === node, what, deadline - Date.now());
    next.catch(() => undefined);
    return next;
  };
  // Armed before the check, so an event during it is not missed.
  let next = arm();
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    // NOTE: the node's events wake the check; a check every second as well, because a run on a
    // loaded machine once waited its whole 120 s for a transfer its node had confirmed (an
    // event stream that lagged or was reconnecting is not a reason to wait for nothing).
    const woke = await Promise.race([next.then(() => 'event' as const), tick(1_000)]).catch(
      (error: Error) => error,
    );
    if (woke instanceof Error) {
      // The timeline's message gives what was left of the wait when last armed, not all of it.
      const waited = `the lab waited ${timeoutMs / 1000} s for ${what}`;
      if (!describe) throw new Error(waited);
      const state = await describeNetwork(lab, txId).catch((e: Error) => `(${e.message})`);
      throw new Error(`${waited}; the nodes then:\n${state}`);
    }
    if (woke === 'event') next = arm();
  }
}

/** Resolves after `ms` without holding the process open. */
function tick(ms: number): Promise<'tick'> {
  return new Promise((resolve) => setTimeout(() => resolve('tick'), ms).unref());
}

/**
 * Stops `miners` and waits until every node has the same tip, which it returns. Two tips of the
 * same work (a block found on each side at once) stay apart until another block decides, so then
 * `breaker` mines alone until one does (a tie left by one trial must not stall the next).
 */
export async function settle(
  lab: Lab,
  miners: readonly string[],
  breaker: string,
): Promise<string> {
  for (;;) {
    await Promise.all(miners.map((miner) => lab.setMining(miner, false)));
    const tip = await until(
      lab,
      breaker,
      async () => {
        const tips = await Promise.all(
          lab.names.map(async (n) => (await lab.client(n).info()).tip_hash),
        );
        return tips.every((t) => t === tips[0]) ? tips[0] : undefined;
      },
      'every node at the same tip',
      { timeoutMs: 5_000, describe: false },
    ).catch(() => undefined);
    if (tip !== undefined) return tip;
    lab.say(`the nodes' tips differ (a tie): ${breaker} mines on until a block decides`);
    const next = lab.timeline.waitFor(
      (e) => e.kind === 'found' && e.node === breaker,
      `${breaker} to break a tie`,
    );
    next.catch(() => undefined);
    await lab.setMining(breaker, true);
    await next;
  }
}

/** Waits until transfer `id` has `confirmations` on `node`. */
export function confirmed(lab: Lab, node: string, id: string, confirmations = 1): Promise<true> {
  return until(
    lab,
    node,
    async () => {
      const state = await txState(lab, node, id);
      return state.status === 'confirmed' && state.confirmations >= confirmations;
    },
    `${id.slice(0, 12)} to confirm on ${node}`,
    { txId: id },
  );
}

/**
 * The node's own wallet (its mining rewards) pays `wallet`; resolves once it confirmed on `watch`.
 * A payment that can no longer confirm is made again (see the NOTE), so this never waits for a
 * transfer no node has any more.
 */
export async function fund(
  lab: Lab,
  from: string,
  wallet: Wallet,
  coins: string,
  watch: string,
): Promise<string> {
  const sender = lab.addresses.get(from)!;
  for (;;) {
    // The paying node needs a reward first.
    await until(
      lab,
      from,
      async () => (await lab.client(from).account(sender)).spendable > 0n,
      `${from} to have coins`,
    );
    const block = lab.timeline.waitFor((e) => e.node === from && e.kind !== 'story', 'a block');
    block.catch(() => undefined);
    const sent = (await lab
      .client(from)
      .request('newTransaction', { body: { sender, recipient: wallet.address, amount: coins } })
      .catch((error: unknown) => {
        // A reorg between the balance check and the send took the reward away: try again at the
        // sender's next event.
        if (error instanceof ClientError && error.code === 'TX_INSUFFICIENT_FUNDS') return null;
        throw error;
      })) as { id: string } | null;
    if (sent === null) {
      await block;
      continue;
    }
    lab.say(`${from} pays ${coins} coins to ${wallet.name} (${wallet.address.slice(0, 14)}…)`);
    // NOTE: two miners a second apart fork often on a loaded machine (a block takes longer to
    // cross than to find). The reward it spends may be on the branch that loses: then the other
    // nodes refuse the transfer (TX_INSUFFICIENT_FUNDS) and the sender drops it at the reorg.
    // No node has it then, and the merchant's node never will: watching only `watch` for it hung
    // (the lab scenarios' test, twice, at load 9–11). Dropped on either node: it pays again.
    const end = await until(
      lab,
      watch,
      async () => {
        const [seen, own] = await Promise.all([
          txState(lab, watch, sent.id),
          txState(lab, from, sent.id),
        ]);
        if (seen.status === 'confirmed') return 'confirmed';
        if (seen.status === 'dropped') return seen.reason;
        return own.status === 'dropped' ? own.reason : undefined;
      },
      `${sent.id.slice(0, 12)} to confirm on ${watch}`,
      { txId: sent.id },
    );
    if (end === 'confirmed') return sent.id;
    lab.say(`${from}'s transfer was dropped (${end}): it pays again`);
  }
}

/**
 * Waits until the timeline holds `node`'s newest reorganisation as its API lists it, and so every
 * one before (a stream delivers in order). NOTE: a node's event stream may run behind its answers
 * (the Finney attack's CI failure): a scenario that decides from the API and then reads the
 * timeline's reorgs (their depth, what they left behind or returned) waits here first.
 */
export async function reorgsCaughtUp(lab: Lab, node: string): Promise<void> {
  const { reorgs } = await lab.client(node).request('reorgs', { query: { limit: '1' } });
  const newest = reorgs[0];
  if (newest === undefined) return;
  await lab.timeline.seenOrWait(
    (e) => e.kind === 'reorg' && e.node === node && e.seq === newest.seq,
    `${node}'s event stream to tell its reorganisation ${newest.seq}`,
    30_000,
  );
}

/** The timeline's story lines, for the printed story and the JSON result. */
export function storyOf(events: readonly LabEvent[]): string[] {
  return events.flatMap((e) =>
    e.kind === 'story' ? [`${(e.at / 1000).toFixed(2).padStart(7)} s  ${e.text}`] : [],
  );
}

export const coins = (units: bigint) => formatCoins(units);
