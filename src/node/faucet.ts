/**
 * The class faucet (`--faucet COINS`): coins from the node's own address to whoever asks, so a
 * student with only a browser can make a wallet and have something to send. SECURITY: it pays
 * each address, and each client address (the IP the request came from), at most once per
 * window (an hour); the operator can turn it off while the node runs. It spends only what the
 * node's own address holds, and a transfer it cannot pay (the node has not mined enough yet) is
 * FAUCET_EMPTY, not an error of the asker's. It pays through the node's wallet (nodeWallet.ts):
 * one signer, so that two payments at once never claim the same nonce, and its default fee.
 */
import type { NodeWallet } from '../api/deps.js';
import { fail, type NetworkParams, ok, parseAddress, type Result } from '../core/index.js';

export const FAUCET_WINDOW_MS = 60 * 60 * 1000;

export interface FaucetOptions {
  readonly amountUnits: bigint;
  readonly params: NetworkParams;
  readonly wallet: NodeWallet;
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
    const { params, wallet, now, amountUnits } = this.options;
    if (!this.enabled) return fail('FAUCET_OFF', "this node's operator turned its faucet off");
    const to = parseAddress(addressText, params.addressPrefix);
    if (!to.ok) return to;
    const at = now();
    this.forgetOlderThan(at - this.windowMs);
    const keys = [`address ${addressText}`, `client ${client}`];
    for (const key of keys) {
      const last = this.paid.get(key);
      if (last !== undefined) {
        const minutes = Math.ceil((last + this.windowMs - at) / 60_000);
        return fail(
          'FAUCET_LIMIT',
          `the faucet paid this ${key.split(' ')[0]} already; try again in ${minutes} min`,
        );
      }
    }
    // SECURITY: taken before the payment is awaited, so requests at once cannot all pass the check.
    for (const key of keys) this.paid.set(key, at);
    const added = await wallet.send(to.value, amountUnits);
    if (!added.ok) {
      for (const key of keys) this.paid.delete(key);
      return added.code === 'TX_INSUFFICIENT_FUNDS'
        ? fail(
            'FAUCET_EMPTY',
            `the node's own address cannot pay this now (${added.detail}); mine a block and try again`,
          )
        : added;
    }
    return ok({ idHex: added.value.idHex, amountUnits });
  }

  private forgetOlderThan(ms: number): void {
    for (const [key, at] of this.paid) if (at <= ms) this.paid.delete(key);
  }
}
