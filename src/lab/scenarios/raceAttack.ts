/**
 * The race attack: the attacker sends the merchant's node a payment and, at the same moment, the
 * miners' nodes a transfer of the same coins (same nonce) back to itself with a higher fee. The
 * miners keep the first they saw, and the higher fee replaces the payment wherever it meets it:
 * the merchant's payment never confirms. A merchant who ships at 0 confirmations has lost the
 * goods; one who waits for 1 sees the payment vanish first.
 */
import { parseCoins } from '../../core/index.js';
import { Merchant, sendTo, txState, Wallet } from '../actors.js';
import type { Lab } from '../lab.js';
import { fund, type Scenario, settle, storyOf, until } from './scenario.js';

export const raceAttack: Scenario = {
  name: 'race-attack',
  title: 'Race attack: two spends of the same coins at once',
  nodes: ['merchant', 'miner1', 'miner2'],
  minerAddresses: () => ({}),
  async run(lab, { attacker }, options) {
    const started = lab.timeline.now();
    const merchant = new Merchant(lab, 'merchant', options.k);
    const back = new Wallet('attacker-2');
    lab.addActor('attacker-2', back.address);
    lab.say(
      `Race attack: the merchant ships after ${options.k} confirmation(s); two miners share ${options.networkRate} H/s`,
    );
    for (const miner of ['miner1', 'miner2'])
      await lab.setHashRate(miner, Math.round(options.networkRate / 2), true);
    // NOTE: the funding must stay confirmed until the sends: a fork between the two miners
    // could still take it back (under load one did, after its first confirmation, and every
    // node then refused both spends). So the miners stop, every node comes to one tip, and
    // the lab funds again if the coins are not on it.
    for (;;) {
      await fund(lab, 'miner1', attacker, '10', 'merchant');
      await settle(lab, ['miner1', 'miner2'], 'miner1');
      if ((await attacker.balance(lab, 'merchant')) >= parseCoins('10')!) break;
      lab.say('a reorg took the funding back: miner1 pays again');
      for (const miner of ['miner1', 'miner2']) await lab.setMining(miner, true);
    }

    const nonce = await attacker.nextNonce(lab, 'merchant');
    const payment = attacker.sign(merchant.wallet.address, '5', '0.0001', nonce);
    const refund = attacker.sign(back.address, '9.9', '0.05', nonce);
    lab.say(
      `the attacker signs two transfers with nonce ${nonce}: 5 coins to the merchant (fee 0.0001) and 9.9 coins to itself (fee 0.05)`,
    );
    // NOTE: the miners (stopped by settle) wait for the few milliseconds of the sends, so that
    // the race is between the two messages, not with a block that a fast lab network may find in
    // between (under load the payment was once mined before the refund arrived, and the run
    // waited for nothing).
    const [paid, ...toMiners] = await Promise.all([
      sendTo(lab, 'merchant', payment),
      sendTo(lab, 'miner1', refund),
      sendTo(lab, 'miner2', refund),
    ]);
    lab.say(
      `sent at once: the payment to the merchant's node (${paid.ok ? 'accepted' : paid.code}), the refund to both miners (${toMiners.map((r) => (r.ok ? 'accepted' : r.code)).join(', ')})`,
    );
    for (const miner of ['miner1', 'miner2']) await lab.setMining(miner, true);
    const shipment = await merchant.waitToShip(payment.id, parseCoins('5')!);
    // The race ends when the refund or the payment is in a block the merchant's node has.
    const winner = await until(
      lab,
      'merchant',
      async () => {
        if ((await txState(lab, 'merchant', refund.id)).status === 'confirmed') return 'refund';
        if ((await txState(lab, 'merchant', payment.id)).status === 'confirmed') return 'payment';
        return undefined;
      },
      'the refund or the payment to confirm on merchant',
    );
    lab.say(
      winner === 'refund'
        ? "the attacker's refund is confirmed on the merchant's node"
        : "the merchant's payment is confirmed on its node: the refund lost the race",
    );
    const end = await txState(lab, 'merchant', payment.id);
    const paymentFate =
      end.status === 'confirmed'
        ? 'confirmed'
        : end.status === 'dropped'
          ? `dropped (${end.reason})`
          : end.status;
    const succeeded = shipment.shipped && end.status !== 'confirmed';
    lab.say(
      succeeded
        ? 'the merchant shipped and was never paid: the double spend succeeded'
        : shipment.shipped
          ? 'the merchant shipped and was paid'
          : 'the merchant did not ship: the double spend failed',
    );
    for (const miner of ['miner1', 'miner2']) await lab.setMining(miner, false);
    // NOTE: the miners' verdicts on the payment are read from their event streams, which may
    // run behind their answers (reorgsCaughtUp's NOTE): the merchant's node pushed the payment it
    // accepted to both, and each tells once whether it took it or refused it.
    if (paid.ok)
      await Promise.all(['miner1', 'miner2'].map((m) => verdictTold(lab, m, payment.id)));
    return {
      scenario: this.name,
      options,
      attackSucceeded: succeeded,
      merchantShipped: shipment.shipped,
      payment: paymentFate,
      story: storyOf(lab.timeline.events),
      figures: {
        payment_id: payment.id,
        refund_id: refund.id,
        refused_by_miners: lab.timeline.events.filter(
          (e) => e.kind === 'tx_refused' && e.id === payment.id,
        ).length,
      },
      runMs: lab.timeline.now() - started,
    };
  },
};

/** How long a miner's verdict on the payment is waited for: a push that failed tells nothing. */
const VERDICT_WAIT_MS = 30_000;

/** Waits until `node`'s event stream has told whether it took the transfer `id` or refused it. */
async function verdictTold(lab: Lab, node: string, id: string): Promise<void> {
  try {
    await lab.timeline.seenOrWait(
      (e) => e.node === node && (e.kind === 'tx' || e.kind === 'tx_refused') && e.id === id,
      `${node}'s verdict on ${id.slice(0, 12)}`,
      VERDICT_WAIT_MS,
    );
  } catch {
    lab.say(`${node} told nothing of the payment in ${VERDICT_WAIT_MS / 1000} s`, node);
  }
}
