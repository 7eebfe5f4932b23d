/**
 * A hello checked: the sender is a node of our network (same genesis block and chain id), and
 * not this node itself (our node address and instance) nor another node running with our key
 * (our address, another instance).
 */
import type { Chain } from '../chain/chain.js';
import { fail, ok, type Result } from '../core/index.js';
import type { Hello } from './messages.js';

export function checkHello(
  hello: Hello,
  chain: Chain,
  nodeAddress: string,
  instance: string,
): Result {
  if (hello.genesis_hash !== chain.main[0]!.hashHex || hello.chain_id !== chain.params.chainId) {
    return fail(
      'P2P_WRONG_NETWORK',
      `the peer is on ${hello.network} (genesis ${hello.genesis_hash.slice(0, 16)}…), this node on ${chain.params.name}`,
    );
  }
  if (hello.node_address === nodeAddress) {
    if (hello.instance !== undefined && hello.instance !== instance)
      return fail(
        'P2P_SAME_KEY',
        `another node answers with this node's key ${nodeAddress} (a copy of its data directory?); give each node its own --data-dir`,
      );
    return fail('P2P_SELF', 'that address is this node itself');
  }
  return ok();
}
