/**
 * The 51 % attack (a double spend after k confirmations): an attacker with a share q of the
 * hash power mines a private branch, from the tip before its payment, in which the same coins
 * go back to itself. It pays the merchant in public; the honest miner confirms the payment; the
 * merchant ships after k confirmations. The attacker releases its branch once the merchant has
 * shipped and the branch has more work than the public one: every node reorganises onto it, the
 * payment leaves the merchant's chain and is dropped as a conflict, and the public branch's other
 * transfers go back to the pool. With q > 1/2 the attacker always catches up in the end; the
 * whitepaper's §11 gives the odds for q < 1/2 (theory.ts).
 *
 * `majorityTrial` is one attack from the lab's current state: `blockyard lab run majority-attack`
 * plays it once with its story, `blockyard lab batch` many times on the same nodes (batch.ts).
 */
import { parseCoins } from '../../core/index.js';
import { Merchant, sendTo, txState, Wallet } from '../actors.js';
import type { Lab } from '../lab.js';
import type { LabEvent } from '../timeline.js';
import {
  reorgsCaughtUp,
  type Scenario,
  type ScenarioOptions,
  type ScenarioResult,
  settle,
  splitRate,
  storyOf,
  until,
} from './scenario.js';

/**
 * The give-up rule: once the merchant has shipped, the attacker gives up when the public branch
 * is this many blocks ahead of its own. §11 assumes an attacker that never gives up, so the lab
 * measures a little less than a patient attacker would get; labCatchUp(q, k, this) is exact.
 */
export const GIVE_UP_BEHIND = 8;

export interface TrialOptions extends ScenarioOptions {
  /** Blocks behind at which the attacker gives up (default GIVE_UP_BEHIND). */
  readonly giveUpBehind?: number;
  /** An ordinary transfer in the public branch, to watch the reorg return it (the story's). */
  readonly bystander?: boolean;
}

export const majorityAttack: Scenario = {
  name: 'majority-attack',
  title: '51 % attack: a private branch undoes a confirmed payment',
  nodes: ['attacker', 'honest', 'merchant'],
  minerAddresses: ({ attacker }) => ({ attacker: attacker.address }),
  run: (lab, { attacker }, options) =>
    majorityTrial(lab, attacker, { ...options, bystander: true }),
};

/**
 * One attack on nodes named attacker, honest and merchant (the attacker's node mines to
 * `attacker`), from whatever chain they share: the lab's batch runs it again and again.
 */
export async function majorityTrial(
  lab: Lab,
  attacker: Wallet,
  options: TrialOptions,
): Promise<ScenarioResult> {
  const started = lab.timeline.now();
  const firstEvent = lab.timeline.events.length;
  const giveUpBehind = options.giveUpBehind ?? GIVE_UP_BEHIND;
  const merchant = new Merchant(lab, 'merchant', options.k);
  const back = new Wallet('attacker-2');
  lab.addActor('attacker-2', back.address);
  const bystander = new Wallet('bystander');
  const { attackerRate, honestRate } = splitRate(options.networkRate, options.q);
  lab.say(
    `51 % attack: the attacker has ${Math.round(options.q * 100)} % of the hash power (${attackerRate} H/s against ${honestRate}); the merchant ships after ${options.k} confirmation(s)`,
  );
  const funded = async () =>
    (await attacker.balance(lab, 'merchant')) >= parseCoins('10')! &&
    // The honest miner's own coins from before the branch: its bystander transfer stays
    // valid on the attacker's branch, so the reorg gives it back to the pool.
    (!options.bystander ||
      (await lab.client('merchant').account(lab.addresses.get('honest')!)).spendable >=
        parseCoins('2')!);
  // The branch starts from the tip everyone shares: mining pauses until all nodes have it (and
  // again if settling a tie took away the coins it waited for).
  do {
    await lab.setHashRate('attacker', attackerRate, true);
    await lab.setHashRate('honest', honestRate, true);
    await until(lab, 'merchant', funded, 'the attacker (and the honest miner) to have mined coins');
    await settle(lab, ['attacker', 'honest'], 'honest');
  } while (!(await funded()));
  const privateStart = await lab.withhold('attacker', true);
  const nonce = await attacker.nextNonce(lab, 'merchant');
  const refund = attacker.sign(back.address, '9.9', '0.0001', nonce);
  await lab.client('attacker').request('labPrivateTx', { body: refund.json });
  lab.say(
    `the attacker mines a private branch from block ${privateStart.withholding.base_height}, where its coins go back to itself (nonce ${nonce})`,
  );
  const payment = attacker.sign(merchant.wallet.address, '5', '0.0001', nonce);
  const paid = await sendTo(lab, 'merchant', payment);
  lab.say(`the attacker pays the merchant 5 coins in public (${paid.ok ? 'accepted' : paid.code})`);
  // An ordinary transfer in the public branch: the reorg must give it back to the pool.
  const bystanderId = options.bystander
    ? (
        (await lab.client('honest').request('newTransaction', {
          body: {
            sender: lab.addresses.get('honest')!,
            recipient: bystander.address,
            amount: '1',
          },
        })) as { id: string }
      ).id
    : undefined;
  // NOTE: both miners start only once the honest miner has the payment in its pool, so its
  // first block carries it, and both sides start the race at once: the race theory.ts computes.
  if (paid.ok)
    await until(
      lab,
      'honest',
      async () => (await txState(lab, 'honest', payment.id)).status === 'pending',
      'the payment to reach the honest miner',
    );
  await Promise.all([lab.setMining('attacker', true), lab.setMining('honest', true)]);

  const shipment = await merchant.waitToShip(payment.id, parseCoins('5')!, 40);
  if (!shipment.shipped) {
    await lab.withhold('attacker', false);
    return result(false, 'not shipped', 0);
  }
  // Race: from now on the attacker's node releases by itself as soon as its branch is longer
  // than the public chain it sees (and again if an honest block ties a release and the race goes
  // on). The attack succeeded once the merchant's node confirms the refund.
  const heights = async () => {
    const status = await lab.status('attacker');
    const publicHeight = (await lab.client('attacker').info()).height;
    return {
      publicHeight,
      privateHeight: status.withholding.base_height + status.withholding.blocks.length,
    };
  };
  const atShipping = await heights();
  const releasedAt = lab.timeline.events.length;
  await lab.releaseWhen('attacker', 'ahead');
  const outcome = await until(
    lab,
    'merchant',
    async () => {
      const [refundState, { publicHeight, privateHeight }] = await Promise.all([
        txState(lab, 'merchant', refund.id),
        heights(),
      ]);
      if (refundState.status === 'confirmed') return 'released' as const;
      if (publicHeight - privateHeight >= giveUpBehind) return 'gave up' as const;
      return undefined;
    },
    'the refund to confirm on merchant, or the attacker to give up',
    { timeoutMs: 600_000, txId: refund.id },
  );
  const behind = atShipping.publicHeight - atShipping.privateHeight;
  if (outcome === 'gave up') {
    lab.say(`the public branch is ${giveUpBehind} blocks ahead: the attacker gives up`);
    await lab.withhold('attacker', false);
    return result(false, 'attacker gave up', behind);
  }
  // The figures (the merchant's reorg depth, the bystander's return) are read from its stream.
  await reorgsCaughtUp(lab, 'merchant');
  const releases = lab.timeline.events
    .slice(releasedAt)
    .filter((e) => e.kind === 'released' && e.node === 'attacker');
  const count = releases.reduce((n, e) => n + (e.kind === 'released' ? e.blocks.length : 0), 0);
  lab.say(
    `the attacker's branch got longer: its node released ${count} block(s)${releases.length > 1 ? ` in ${releases.length} goes` : ''}`,
  );
  const seen = lab.timeline.events
    .slice(releasedAt)
    .find((e) => e.node === 'merchant' && e.kind === 'reorg');
  lab.say(
    seen?.kind === 'reorg'
      ? `the merchant's node reorganises ${seen.depth} block(s) deep`
      : "the merchant's node takes the attacker's block on top of its tip: its refund drops the payment",
  );
  await lab.withhold('attacker', false);
  return result(true, 'released', behind);

  async function result(released: boolean, how: string, behindAtShipping: number) {
    const end = await txState(lab, 'merchant', payment.id);
    const succeeded = shipment.shipped && released && end.status !== 'confirmed';
    lab.say(
      succeeded
        ? "the payment vanished from the merchant's chain after it shipped: the double spend succeeded"
        : `the double spend failed (${how})`,
    );
    await Promise.all([lab.setMining('honest', false), lab.setMining('attacker', false)]);
    const events = lab.timeline.events.slice(firstEvent);
    const reorgs = events.filter((e) => e.kind === 'reorg' && e.node === 'merchant');
    const bystanderFigures = bystanderId
      ? {
          // The honest branch's ordinary transfer, after the reorg: back in the pool, or mined again.
          bystander_transfer: (await txState(lab, 'merchant', bystanderId)).status,
          bystander_returned_to_pool: returnedAfterReorg(events, bystanderId),
        }
      : {};
    return {
      scenario: majorityAttack.name,
      options: { k: options.k, q: options.q, networkRate: options.networkRate },
      attackSucceeded: succeeded,
      merchantShipped: shipment.shipped,
      payment: end.status === 'dropped' ? `dropped (${end.reason})` : end.status,
      story: storyOf(events),
      figures: {
        payment_id: payment.id,
        refund_id: refund.id,
        outcome: how,
        give_up_behind: giveUpBehind,
        behind_at_shipping: behindAtShipping,
        private_blocks: events.filter((e) => e.kind === 'withheld' && e.node === 'attacker').length,
        merchant_reorg_depth: reorgs.reduce(
          (max, e) => Math.max(max, e.kind === 'reorg' ? e.depth : 0),
          0,
        ),
        ...bystanderFigures,
      },
      runMs: lab.timeline.now() - started,
    };
  }
}

/** Whether the merchant's node took transfer `id` into its pool again after its first reorg. */
function returnedAfterReorg(events: readonly LabEvent[], id: string): boolean {
  const reorgAt = events.findIndex((e) => e.kind === 'reorg' && e.node === 'merchant');
  if (reorgAt < 0) return false;
  return events.slice(reorgAt).some((e) => {
    if (e.node !== 'merchant') return false;
    if (e.kind === 'tx') return e.id === id;
    // The node's reorg event may list what it returned to the pool (issue 14's reorg details).
    return e.kind === 'reorg' && JSON.stringify(e).includes(id);
  });
}
