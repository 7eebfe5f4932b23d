/**
 * The scenarios' people: wallets that sign real transfers (keys made here, as a wallet does),
 * and the merchant, a wallet watching its own node that ships only once the payment has k
 * confirmations there.
 */
import { ClientError } from '../api/client.js';
import { encodeAddress, formatCoins, labParams } from '../core/index.js';
import { publicKeyFromSecret } from '../core/nobleEd25519.js';
import { createTransfer, randomBytes, type SignedTransfer } from '../wallet/index.js';
import type { Lab } from './lab.js';
import type { LabEvent } from './timeline.js';

export class Wallet {
  readonly publicKey: Uint8Array;
  readonly address: string;

  constructor(
    readonly name: string,
    private readonly secretKey: Uint8Array = randomBytes(32),
  ) {
    this.publicKey = publicKeyFromSecret(secretKey);
    this.address = encodeAddress(this.publicKey, labParams.addressPrefix);
  }

  /** The next nonce as `node` sees this wallet (confirmed and pending). */
  async nextNonce(lab: Lab, node: string): Promise<bigint> {
    return (await lab.client(node).account(this.address)).next_nonce;
  }

  async balance(lab: Lab, node: string): Promise<bigint> {
    return (await lab.client(node).account(this.address)).balance;
  }

  sign(to: string, amountCoins: string, feeCoins: string, nonce: bigint): SignedTransfer {
    const signed = createTransfer(labParams, {
      secretKey: this.secretKey,
      to,
      amountCoins,
      feeCoins,
      nonce,
    });
    if (!signed.ok) throw new Error(`${this.name} cannot sign: ${signed.detail}`);
    return signed.value;
  }
}

/** Sends a signed transfer to one node; the answer's code if the node refused it. */
export async function sendTo(
  lab: Lab,
  node: string,
  transfer: SignedTransfer,
): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
  try {
    await lab.client(node).submitTx(transfer.json);
    return { ok: true };
  } catch (error) {
    if (error instanceof ClientError)
      return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}

export type TxState =
  | { status: 'pending' }
  | { status: 'confirmed'; confirmations: number; block: string }
  | { status: 'dropped'; reason: string }
  | { status: 'unknown' };

export async function txState(lab: Lab, node: string, id: string): Promise<TxState> {
  try {
    const view = await lab.client(node).tx(id);
    if (view.status === 'confirmed')
      return { status: 'confirmed', confirmations: view.confirmations, block: view.block_hash };
    if (view.status === 'dropped')
      return { status: 'dropped', reason: `${view.reason.code}: ${view.reason.message}` };
    return { status: 'pending' };
  } catch (error) {
    if (error instanceof ClientError && error.code === 'API_NOT_FOUND')
      return { status: 'unknown' };
    throw error;
  }
}

export interface Shipment {
  readonly shipped: boolean;
  readonly why: string;
  readonly at: number;
}

/** The merchant: a wallet on its own node that ships once a payment has `k` confirmations. */
export class Merchant {
  readonly wallet = new Wallet('merchant');

  constructor(
    private readonly lab: Lab,
    readonly node: string,
    readonly k: number,
  ) {
    lab.addActor('merchant', this.wallet.address);
  }

  /**
   * Watches its node until the payment has k confirmations (ships), or is dropped, or the node
   * has connected `patienceBlocks` blocks without it confirming (gives up).
   */
  async waitToShip(id: string, amountUnits: bigint, patienceBlocks = 12): Promise<Shipment> {
    const { lab, node, k } = this;
    const coins = formatCoins(amountUnits);
    let blocks = 0;
    // What its wallet is told as it happens: its node accepted the payment, or refused it.
    const about = (e: LabEvent) =>
      e.node === node && (e.kind === 'tx' || e.kind === 'tx_refused') && e.id === id;
    const heard = await lab.timeline.seenOrWait(about, `${node} to accept or refuse the payment`);
    if (heard.kind === 'tx_refused') {
      const why = `its node refused the payment (${heard.code}): the merchant does not ship`;
      lab.say(why, node);
      return { shipped: false, why, at: lab.timeline.now() };
    }
    if (k === 0) {
      const why = `its node accepted the payment of ${coins} coins (unconfirmed): the merchant ships`;
      lab.say(why, node);
      return { shipped: true, why, at: heard.at };
    }
    for (;;) {
      const state = await txState(lab, node, id);
      const have = state.status === 'confirmed' ? state.confirmations : 0;
      if ((state.status === 'pending' || state.status === 'confirmed') && have >= k) {
        const why =
          k === 0
            ? `its node accepted the payment of ${coins} coins (unconfirmed): the merchant ships`
            : `the payment of ${coins} coins has ${have} confirmation(s): the merchant ships`;
        lab.say(why, node);
        return { shipped: true, why, at: lab.timeline.now() };
      }
      if (state.status === 'dropped' || (state.status === 'unknown' && blocks > 0)) {
        const why = `the payment left its node's pool (${state.status === 'dropped' ? state.reason : 'unknown'}): the merchant does not ship`;
        lab.say(why, node);
        return { shipped: false, why, at: lab.timeline.now() };
      }
      if (blocks >= patienceBlocks) {
        const why = `no ${k} confirmation(s) after ${blocks} blocks: the merchant does not ship`;
        lab.say(why, node);
        return { shipped: false, why, at: lab.timeline.now() };
      }
      // The next thing that can change the answer: a block, or the payment refused or replaced.
      await lab.timeline.waitFor(
        (e) => e.node === node && (e.kind === 'block' || e.kind === 'reorg' || e.kind === 'tx'),
        `${node} to connect a block`,
      );
      blocks++;
    }
  }
}
