/**
 * The wallet, shared by `blockyard wallet` and the browser: mnemonic → seed → SLIP-0010 keys →
 * addresses, the encrypted keystore file, and signed transfers. Keys are made and used here only,
 * never on a node. No Node-only imports: this folder is bundled into the web app too.
 */
export * from './account.js';
export * from './fee.js';
export * from './keystore.js';
export * from './mnemonic.js';
export * from './resend.js';
export * from './slip10.js';
export * from './transfer.js';
export * from './verifyTxProof.js';
