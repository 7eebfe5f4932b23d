import { COIN } from '../core/money.js';

/**
 * 0.0001 coin. Fees only order transfers in a block here (every transfer has the same size), so
 * any positive fee is valid; this one outbids the 1-unit minimum without costing anything. Its
 * own module: the node pays with it (nodeWallet.ts) without loading the wallet's signing code.
 */
export const DEFAULT_FEE_UNITS = COIN / 10_000n;
