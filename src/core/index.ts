/**
 * blockyard's protocol core: pure functions over the chain's data. No I/O, no clock, no
 * randomness: time, keys and the signature verifier come in as arguments, so the same code runs
 * in the node, the CLI and the browser.
 */
export * from './address.js';
export * from './admitTransfer.js';
export * from './applyBlock.js';
export * from './bytes.js';
export * from './checkBlock.js';
export * from './checkTx.js';
export * from './checkTxProof.js';
export * from './ed25519.js';
export * from './encoding/block.js';
export * from './encoding/header.js';
export * from './encoding/tx.js';
export * from './errors.js';
export * from './forkChoice.js';
export * from './formatCount.js';
export * from './genesis.js';
export * from './hash.js';
export * from './json.js';
export * from './merkle.js';
export * from './merkleProof.js';
export * from './mine.js';
export * from './money.js';
export * from './params.js';
export * from './pow.js';
export * from './recentMap.js';
export * from './result.js';
export * from './retarget.js';
export * from './state.js';
export * from './template.js';
export * from './time.js';
export * from './types.js';
export * from './validateBlock.js';
export * from './validateChain.js';
export * from './validateHeader.js';
export * from './validateTx.js';
