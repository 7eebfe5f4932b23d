/**
 * The guided scenarios: what each attack is, step by step, in our words (the first tutorial's
 * §2.4–2.5 tells them in a paragraph each), and what to watch for on the timeline.
 */
export interface Guide {
  readonly name: string;
  readonly title: string;
  readonly idea: string;
  readonly steps: readonly string[];
  readonly lesson: string;
}

export const guides: readonly Guide[] = [
  {
    name: 'race-attack',
    title: 'Race attack',
    idea: 'Two transfers spend the same coins: one pays the merchant, the other pays the attacker back with a higher fee. Only one can ever be confirmed.',
    steps: [
      'A miner pays the attacker 10 coins; the lab waits until it is confirmed.',
      "The attacker signs both transfers with the same nonce and sends them at the same moment: the payment to the merchant's node, the refund to both miners.",
      "The miners keep the refund (they saw it first) and refuse the payment: MEMPOOL_NONCE_CONFLICT on the timeline. The refund's higher fee replaces the payment in the merchant's pool too.",
      'A miner puts the refund in a block. The payment can never be confirmed now.',
    ],
    lesson:
      'A merchant who ships on seeing the payment (0 confirmations) loses the goods. One who waits for one confirmation sees the payment dropped and keeps them.',
  },
  {
    name: 'finney-attack',
    title: 'Finney attack',
    idea: 'A miner finds a block that pays its coins to itself and keeps it secret, then spends the same coins at a merchant and releases the block.',
    steps: [
      "The attacker mines in secret (withholding) a block containing its transfer to itself. The block's outline is dashed on the tree: nobody else has it.",
      "It pays the merchant with the same coins; the merchant's node accepts the payment.",
      'At once the attacker releases its block. It extends the tip everyone shares, so every node takes it.',
      "The payment now spends coins already spent: the merchant's node drops it (TX_NONCE_TOO_LOW).",
    ],
    lesson:
      'Unconfirmed payments are promises. Against a miner, wait for confirmations; the more the attacker mines, the more to wait for.',
  },
  {
    name: 'majority-attack',
    title: '51 % attack',
    idea: 'An attacker with most of the hash power mines a private branch in which its coins never went to the merchant, and publishes it after the merchant shipped.',
    steps: [
      'The attacker starts a private branch from the tip everyone shares, with its transfer to itself inside.',
      'It pays the merchant in public; the honest miner confirms the payment, block after block.',
      'After k confirmations the merchant ships.',
      "The attacker's branch, mined faster, gets longer than the public one: it releases it, and every node reorganises onto the branch with more work.",
      "The payment's block is left behind; the payment returns to the pool and is dropped as a conflict. Other transfers of the honest branch go back to the pool and are mined again.",
    ],
    lesson:
      'With more than half the hash power an attacker always catches up in the end: no number of confirmations protects the merchant. Below half, each confirmation makes it exponentially less likely (the whitepaper, §11).',
  },
  {
    name: 'selfish-mining',
    title: 'Selfish mining',
    idea: "A miner with 40 % of the hash power keeps the blocks it finds to itself and publishes them only to cancel the honest miner's work: its share of the blocks on the chain, its revenue, ends above its share of the hash power.",
    steps: [
      'The attacker mines a private branch; each block it finds stays dashed on the tree, a lead only it knows.',
      'When the honest miner finds a block and the lead was one, the attacker publishes its own: two blocks of the same height race.',
      'With a lead of two, an honest block makes the attacker publish everything: its branch is longer, and the honest block is orphaned (a reorg on the honest node).',
      'With a longer lead it publishes one block for each honest one, and keeps the rest.',
      'At the end the lab counts who each block of the final chain pays.',
    ],
    lesson:
      'Orphaning honest blocks costs the attacker blocks too, but it costs the honest miners more: above a third of the hash power (Eyal and Sirer, when honest miners keep the block they saw first) hiding blocks pays better than publishing them.',
  },
];
