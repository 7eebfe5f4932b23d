/**
 * The 51 % attack (a double spend after k confirmations): an attacker with a share q of the
 * hash power mines a private branch, from the tip before its payment, in which the same coins
 * go back to itself. It pays the merchant in public; the honest miner confirms the payment; the
 * merchant ships after k confirmations. The attacker releases its branch once the merchant has
 * shipped and the branch has more work than the public one: every node reorganises onto it, the
 * payment leaves the merchant's chain and is dropped as a conflict, and the public branch's other
 * transfers go back to the pool. With q > 1/2 the attacker always catches up in the end; the
 * whitepaper's §11 gives the odds for q < 1/2.
 */
import { parseCoins } from '../../core/index.js';
import { Merchant, sendTo, txState, Wallet } from '../actors.js';
import type { LabEvent } from '../timeline.js';
import { confirmed, fund, type Scenario, storyOf, until } from './scenario.js';

/** The attacker gives up when the public branch is this many blocks ahead of its own. */
const GIVE_UP_BEHIND = 6;

export const majorityAttack: Scenario = {
  name: 'majority-attack',
  title: '51 % attack: a private branch undoes a confirmed payment',
  nodes: ['attacker', 'honest', 'merchant'],
  minerAddresses: ({ attacker }) => ({ attacker: attacker.address }),
  async run(lab, { attacker }, options) {
    const started = lab.timeline.now();
    const merchant = new Merchant(lab, 'merchant', options.k);
    const back = new Wallet('attacker-2');
    const bystander = new Wallet('bystander');
    const attackerRate = Math.round(options.networkRate * options.q);
    const honestRate = options.networkRate - attackerRate;
    lab.say(
      `51 % attack: the attacker has ${Math.round(options.q * 100)} % of the hash power (${attackerRate} H/s against ${honestRate}); the merchant ships after ${options.k} confirmation(s)`,
    );
    await lab.setHashRate('attacker', attackerRate, true);
    await lab.setHashRate('honest', honestRate, true);
    await until(
      lab,
      'merchant',
      async () =>
        (await attacker.balance(lab, 'merchant')) >= parseCoins('10')! &&
        // The honest miner's own coins from before the branch: its bystander transfer stays
        // valid on the attacker's branch, so the reorg gives it back to the pool.
        (await lab.client('merchant').account(lab.addresses.get('honest')!)).spendable >=
          parseCoins('2')!,
      'the attacker and the honest miner to have mined coins',
    );
    // The branch starts from the tip everyone shares: mining pauses until all nodes have it.
    await lab.setMining('attacker', false);
    await lab.setMining('honest', false);
    await until(
      lab,
      'merchant',
      async () => {
        const tips = await Promise.all(
          lab.names.map(async (n) => (await lab.client(n).info()).tip_hash),
        );
        return tips.every((tip) => tip === tips[0]);
      },
      'every node at the same tip',
    );
    const privateStart = await lab.withhold('attacker', true);
    await lab.setMining('attacker', true);
    await lab.setMining('honest', true);
    const nonce = await attacker.nextNonce(lab, 'merchant');
    const refund = attacker.sign(back.address, '9.9', '0.0001', nonce);
    await lab.client('attacker').request('labPrivateTx', { body: refund.json });
    lab.say(
      `the attacker mines a private branch from block ${privateStart.withholding.base_height}, where its coins go back to itself (nonce ${nonce})`,
    );
    const payment = attacker.sign(merchant.wallet.address, '5', '0.0001', nonce);
    const paid = await sendTo(lab, 'merchant', payment);
    lab.say(
      `the attacker pays the merchant 5 coins in public (${paid.ok ? 'accepted' : paid.code})`,
    );
    // An ordinary transfer in the public branch: the reorg must give it back to the pool.
    const bystanderId = await fund(lab, 'honest', bystander, '1', 'merchant');

    const shipment = await merchant.waitToShip(payment.id, parseCoins('5')!, 40);
    if (!shipment.shipped) {
      await lab.withhold('attacker', false);
      return result(false, 'not shipped');
    }
    // Race: the attacker releases once its branch is longer than the public one.
    let outcome: 'released' | 'gave up' = 'gave up';
    for (;;) {
      const status = await lab.status('attacker');
      const publicHeight = (await lab.client('attacker').info()).height;
      const privateHeight = status.withholding.base_height + status.withholding.blocks.length;
      if (privateHeight > publicHeight) {
        outcome = 'released';
        break;
      }
      if (publicHeight - privateHeight >= GIVE_UP_BEHIND) break;
      await lab.timeline.waitFor(
        (e) => e.node === 'attacker' && (e.kind === 'withheld' || e.kind === 'block'),
        'the next block',
      );
    }
    if (outcome === 'gave up') {
      lab.say(`the public branch is ${GIVE_UP_BEHIND} blocks ahead: the attacker gives up`);
      await lab.withhold('attacker', false);
      return result(false, 'attacker gave up');
    }
    const reorg = lab.timeline.waitFor(
      (e) => e.node === 'merchant' && e.kind === 'reorg',
      "the merchant's node to reorganise",
    );
    const released = await lab.release('attacker');
    lab.say(`the attacker's branch is longer: it releases ${released.released.length} block(s)`);
    const seen = (await reorg) as LabEvent & { kind: 'reorg' };
    lab.say(`the merchant's node reorganises ${seen.depth} block(s) deep`);
    await confirmed(lab, 'merchant', refund.id);
    await lab.withhold('attacker', false);
    return result(true, 'released');

    async function result(released: boolean, how: string) {
      const end = await txState(lab, 'merchant', payment.id);
      const bystanderTx = await txState(lab, 'merchant', bystanderId);
      const succeeded = shipment.shipped && released && end.status !== 'confirmed';
      lab.say(
        succeeded
          ? "the payment vanished from the merchant's chain after it shipped: the double spend succeeded"
          : `the double spend failed (${how})`,
      );
      await lab.setMining('honest', false);
      await lab.setMining('attacker', false);
      const reorgs = lab.timeline.events.filter((e) => e.kind === 'reorg' && e.node === 'merchant');
      return {
        scenario: majorityAttack.name,
        options,
        attackSucceeded: succeeded,
        merchantShipped: shipment.shipped,
        payment: end.status === 'dropped' ? `dropped (${end.reason})` : end.status,
        story: storyOf(lab.timeline.events),
        figures: {
          payment_id: payment.id,
          refund_id: refund.id,
          merchant_reorg_depth: reorgs.reduce(
            (max, e) => Math.max(max, e.kind === 'reorg' ? e.depth : 0),
            0,
          ),
          // The honest branch's ordinary transfer, after the reorg: back in the pool, or mined again.
          bystander_transfer: bystanderTx.status,
          bystander_returned_to_pool: returnedAfterReorg(lab.timeline.events, bystanderId),
        },
        runMs: lab.timeline.now() - started,
      };
    }
  },
};

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
