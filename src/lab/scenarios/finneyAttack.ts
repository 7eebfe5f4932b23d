/**
 * The Finney attack: an attacker who mines finds a block paying its coins to itself and keeps
 * it; then it pays the merchant with the same coins (same nonce), and releases the block as soon
 * as the merchant's node has the payment. The block is valid and extends the tip everyone
 * shares, so every node takes it, and the payment can no longer be confirmed. A merchant who
 * ships at 0 confirmations loses; one who waits sees the payment dropped instead.
 */
import { parseCoins } from '../../core/index.js';
import { Merchant, sendTo, txState, Wallet } from '../actors.js';
import { confirmed, type Scenario, storyOf, until } from './scenario.js';

/** Tries at most this many times to have a private block still on the public tip. */
const TRIES = 5;

export const finneyAttack: Scenario = {
  name: 'finney-attack',
  title: 'Finney attack: a withheld block pays the attacker',
  nodes: ['attacker', 'honest', 'merchant'],
  minerAddresses: ({ attacker }) => ({ attacker: attacker.address }),
  async run(lab, { attacker }, options) {
    const started = lab.timeline.now();
    const merchant = new Merchant(lab, 'merchant', options.k);
    const back = new Wallet('attacker-2');
    lab.addActor('attacker-2', back.address);
    const attackerRate = Math.round(options.networkRate * 0.8);
    lab.say(
      `Finney attack: the merchant ships after ${options.k} confirmation(s); the attacker mines at ${attackerRate} H/s, the honest miner at ${options.networkRate - attackerRate}`,
    );
    await lab.setHashRate('attacker', attackerRate, true);
    await lab.setHashRate('honest', options.networkRate - attackerRate, true);
    // The attacker's blocks pay its wallet: wait until the merchant's node sees coins there.
    await until(
      lab,
      'merchant',
      async () => (await attacker.balance(lab, 'merchant')) >= parseCoins('10')!,
      'the attacker to have mined coins',
    );
    lab.say('the attacker has mined coins of its own');

    let privateBlock: { hash: string; prev: string } | undefined;
    let nonce = 0n;
    let refundId = '';
    for (let attempt = 1; attempt <= TRIES && !privateBlock; attempt++) {
      await lab.withhold('attacker', true);
      nonce = await attacker.nextNonce(lab, 'merchant');
      const refund = attacker.sign(back.address, '9.9', '0.0001', nonce);
      refundId = refund.id;
      await lab.client('attacker').request('labPrivateTx', { body: refund.json });
      lab.say(`the attacker mines, in secret, a block paying 9.9 coins to itself (nonce ${nonce})`);
      const found = await lab.timeline.waitFor(
        (e) => e.node === 'attacker' && e.kind === 'withheld' && e.txs > 0,
        'the private block',
      );
      await lab.setMining('attacker', false);
      const tip = (await lab.client('merchant').info()).tip_hash;
      if (found.kind === 'withheld' && found.prev_hash === tip) {
        privateBlock = { hash: found.hash, prev: found.prev_hash };
      } else {
        lab.say(
          'an honest block came first: the private block is stale, the attacker starts again',
        );
        await lab.setMining('attacker', true);
      }
    }
    if (!privateBlock) throw new Error(`no private block stayed on the tip in ${TRIES} tries`);
    lab.say(`the attacker holds block ${privateBlock.hash.slice(0, 10)}, which nobody else has`);

    const payment = attacker.sign(merchant.wallet.address, '5', '0.0001', nonce);
    const paid = await sendTo(lab, 'merchant', payment);
    lab.say(
      `the attacker pays the merchant 5 coins with the same nonce (${paid.ok ? 'accepted' : paid.code})`,
    );
    const shipping = merchant.waitToShip(payment.id, parseCoins('5')!);
    // The attacker releases as soon as the merchant's node has the payment.
    await lab.timeline.seenOrWait(
      (e) =>
        e.node === 'merchant' &&
        (e.kind === 'tx' || e.kind === 'tx_refused') &&
        e.id === payment.id,
      'the merchant to see the payment',
    );
    const released = await lab.release('attacker');
    lab.say(
      `the attacker releases its block: ${released.released.map((r) => r.status).join(', ')}`,
    );
    const shipment = await shipping;
    await confirmed(lab, 'merchant', refundId);
    lab.say("the attacker's payment to itself is confirmed on the merchant's node");
    await lab.withhold('attacker', false);
    const end = await txState(lab, 'merchant', payment.id);
    const succeeded = shipment.shipped && end.status !== 'confirmed';
    lab.say(
      succeeded
        ? 'the merchant shipped and was never paid: the Finney attack succeeded'
        : shipment.shipped
          ? 'the merchant shipped and was paid'
          : 'the merchant did not ship: the Finney attack failed',
    );
    await lab.setMining('honest', false);
    return {
      scenario: this.name,
      options,
      attackSucceeded: succeeded,
      merchantShipped: shipment.shipped,
      payment: end.status === 'dropped' ? `dropped (${end.reason})` : end.status,
      story: storyOf(lab.timeline.events),
      figures: { payment_id: payment.id, refund_id: refundId, private_block: privateBlock.hash },
      runMs: lab.timeline.now() - started,
    };
  },
};
