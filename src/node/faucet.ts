/**
 * The class faucet (`--faucet COINS`): coins from the node's own address to whoever asks, so a
 * student with only a browser can make a wallet and have something to send. SECURITY: it pays
 * each address, and each client address (the IP the request came from), at most once per
 * window (an hour); the operator can turn it off while the node runs. It spends only what the
 * node's own address holds, and a transfer it cannot pay (the node has not mined enough yet) is
 * FAUCET_EMPTY, not an error of the asker's.
 */
import {
  fail,
  type NetworkParams,
  ok,
  parseAddress,
  type Result,
  signTransfer,
  toHex,
} from '../core/index.js';
import type { Mempool } from '../mempool/mempool.js';
import type { NodeKey } from './nodeKey.js';

export const FAUCET_WINDOW_MS = 60 * 60 * 1000;
const FAUCET_FEE_UNITS = 1_000n;

export interface FaucetOptions {
  readonly amountUnits: bigint;
  readonly params: NetworkParams;
  readonly mempool: Mempool;
  readonly nodeKey: NodeKey;
  readonly now: () => number;
  readonly windowMs?: number;
}

export interface FaucetStatus {
  readonly enabled: boolean;
  readonly amountUnits: bigint;
  readonly windowMs: number;
}

export class Faucet {
  private enabled = true;
  /** Address or client address → when it was last paid. */
  private readonly paid = new Map<string, number>();

  constructor(private readonly options: FaucetOptions) {}

  get windowMs(): number {
    return this.options.windowMs ?? FAUCET_WINDOW_MS;
  }

  status(): FaucetStatus {
    return {
      enabled: this.enabled,
      amountUnits: this.options.amountUnits,
      windowMs: this.windowMs,
    };
  }

  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
  }

  /** Pays `addressText` from the node's own coins; the transfer's id. */
  async pay(
    addressText: string,
    client: string,
  ): Promise<Result<{ idHex: string; amountUnits: bigint }>> {
    const { params, mempool, nodeKey, now, amountUnits } = this.options;
    if (!this.enabled) return fail('FAUCET_OFF', "this node's operator turned its faucet off");
    const to = parseAddress(addressText, params.addressPrefix);
    if (!to.ok) return to;
    const at = now();
    this.forgetOlderThan(at - this.windowMs);
    for (const key of [`address ${addressText}`, `client ${client}`]) {
      const last = this.paid.get(key);
      if (last !== undefined) {
        const minutes = Math.ceil((last + this.windowMs - at) / 60_000);
        return fail(
          'FAUCET_LIMIT',
          `the faucet paid this ${key.split(' ')[0]} already; try again in ${minutes} min`,
        );
      }
    }
    const tx = signTransfer(
      {
        type: 'transfer',
        chainId: params.chainId,
        from: nodeKey.publicKey,
        to: to.value,
        amount: amountUnits,
        fee: FAUCET_FEE_UNITS,
        nonce: mempool.nextNonce(toHex(nodeKey.publicKey)),
      },
      nodeKey.secretKey,
    );
    const added = await mempool.add(tx);
    if (!added.ok) {
      return added.code === 'TX_INSUFFICIENT_FUNDS'
        ? fail(
            'FAUCET_EMPTY',
            `the node's own address cannot pay this now (${added.detail}); mine a block and try again`,
          )
        : added;
    }
    this.paid.set(`address ${addressText}`, at);
    this.paid.set(`client ${client}`, at);
    return ok({ idHex: added.value.idHex, amountUnits });
  }

  private forgetOlderThan(ms: number): void {
    for (const [key, at] of this.paid) if (at <= ms) this.paid.delete(key);
  }
}
