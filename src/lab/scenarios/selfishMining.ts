/**
 * Selfish mining (Eyal and Sirer 2014): an attacker with a share alpha (= q) of the hash power
 * keeps the blocks it finds to itself and releases them only to match or overtake the honest
 * miner's (selfishMove.ts), so that honest blocks are orphaned and the attacker's share of the
 * chain's blocks, its revenue, can exceed its share of the hash power. The honest miner breaks
 * ties by the block it saw first, its own: gamma = 0, and the attacker gains only above 1/3.
 *
 * The revenue is counted on the final best chain (its blocks since the attack began, by who they
 * pay), as the watcher node, which does not mine, reports it; every node must end on that chain.
 */
import type { Lab } from '../lab.js';
import { selfishRevenue, selfishThreshold } from '../theory.js';
import type { LabEvent } from '../timeline.js';
import type { Scenario, ScenarioOptions, ScenarioResult } from './scenario.js';
import { reorgsCaughtUp, settle, splitRate, storyOf, until } from './scenario.js';

export const selfishMining: Scenario = {
  name: 'selfish-mining',
  title: 'Selfish mining: withheld blocks orphan honest ones',
  nodes: ['attacker', 'honest', 'watcher'],
  defaultQ: 0.4,
  minerAddresses: ({ attacker }) => ({ attacker: attacker.address }),
  run: (lab, { attacker }, options) => selfishRun(lab, attacker.address, options),
};

/** The honest miners of a selfish-mining lab: `honest`, or `honest1`, `honest2`, … */
export const honestNodes = (lab: Lab) => lab.names.filter((n) => n.startsWith('honest'));

/** The selfish lab's nodes with `count` honest miners (one: the scenario's own names). */
export const selfishNodes = (count: number) => [
  'attacker',
  ...(count === 1 ? ['honest'] : Array.from({ length: count }, (_, i) => `honest${i + 1}`)),
  'watcher',
];

export async function selfishRun(
  lab: Lab,
  attackerAddress: string,
  options: ScenarioOptions,
): Promise<ScenarioResult> {
  const started = lab.timeline.now();
  const firstEvent = lab.timeline.events.length;
  const alpha = options.q;
  const blocks = options.blocks ?? 40;
  const honest = honestNodes(lab);
  const { attackerRate, honestRate } = splitRate(options.networkRate, alpha);
  const eachRate = Math.max(1, Math.round(honestRate / honest.length));
  lab.say(
    `Selfish mining: the attacker has ${Math.round(alpha * 100)} % of the hash power (${attackerRate} H/s against ${honest.length === 1 ? honestRate : `${honest.length} honest miners at ${eachRate}`}); above ${Math.round(selfishThreshold(0) * 100)} % it should earn more than its share`,
  );
  await lab.setHashRate('attacker', attackerRate, false);
  for (const node of honest) await lab.setHashRate(node, eachRate, false);
  await lab.setMining('watcher', false);
  await settle(lab, ['attacker', ...honest], honest[0]!);
  const start = await lab.client('watcher').info();
  await lab.withhold('attacker', true);
  // NOTE: the attacker's node applies Eyal and Sirer's rules itself, the moment its chain or
  // its private branch changes (selfishMove.ts, in the node's withholding miner): a controller
  // polling over HTTP reacted 0.1–0.3 s late, and lost every race to the honest block.
  await lab.releaseWhen('attacker', 'selfish');
  await Promise.all(['attacker', ...honest].map((n) => lab.setMining(n, true)));
  lab.say(`all mine from block ${start.height}; the attacker keeps its blocks to itself`);

  const orphans = () => orphanedHonest(lab, firstEvent);
  await until(
    lab,
    'watcher',
    async () => {
      const info = await lab.client('watcher').info();
      const grown = info.height - start.height >= blocks;
      return grown && orphans().size >= (options.orphans ?? 0) ? true : undefined;
    },
    'the chain to grow',
    { timeoutMs: Math.max(120_000, blocks * 30_000) },
  );

  // The end: mining stops; a private lead still wins when released, anything less is dropped.
  await Promise.all(['attacker', ...honest].map((n) => lab.setMining(n, false)));
  const [status, info] = await Promise.all([lab.status('attacker'), lab.client('attacker').info()]);
  const privateHeight = status.withholding.base_height + status.withholding.blocks.length;
  if (status.withholding.blocks.length > 0 && privateHeight > info.height) {
    await lab.release('attacker');
    lab.say(`the end: the attacker releases its last ${status.withholding.blocks.length} block(s)`);
  }
  await lab.withhold('attacker', false);
  // A race of two blocks left open at the end is decided by an honest miner's next block.
  const tip = await settle(lab, ['attacker', ...honest], honest[0]!);
  const events = lab.timeline.events.slice(firstEvent);
  const releases = events.filter((e) => e.kind === 'released' && e.node === 'attacker').length;
  const races = raceOutcomes(events, 'attacker');

  // The final chain since the start, as the watcher says it, and who each block pays.
  const chain = await chainSince(lab, 'watcher', start.height, tip);
  // NOTE: the streams may run behind the tips settle() read from the API (a block found as
  // mining stopped): the figures tie each block to its finder's events and each orphan to its
  // node's reorg, so those are waited for first.
  for (const node of honest) await reorgsCaughtUp(lab, node);
  for (const { hash } of chain)
    await lab.timeline.seenOrWait(
      (e) => (e.kind === 'found' || e.kind === 'withheld') && e.hash === hash,
      `the event of block ${hash.slice(0, 12)}'s finder`,
      30_000,
    );
  const attackerBlocks = chain.filter((b) => b.mined_by === attackerAddress).length;
  const share = chain.length === 0 ? 0 : attackerBlocks / chain.length;
  // Orphaned: found by the honest miner, not on the final chain (each one its node left in a reorg).
  const onChain = new Set(chain.map((b) => b.hash));
  const orphaned = [...honestFound(lab, firstEvent).keys()].filter((hash) => !onChain.has(hash));
  const withheld = lab.timeline.events
    .slice(firstEvent)
    .filter((e) => e.kind === 'withheld' && e.node === 'attacker').length;
  lab.say(
    `the chain grew by ${chain.length} blocks: ${attackerBlocks} pay the attacker (${(share * 100).toFixed(1)} % of the revenue for ${(alpha * 100).toFixed(0)} % of the hash power; Eyal–Sirer with gamma 0: ${(selfishRevenue(alpha, 0) * 100).toFixed(1)} %); ${orphaned.length} honest block(s) orphaned`,
  );
  return {
    scenario: selfishMining.name,
    options: { k: options.k, q: options.q, networkRate: options.networkRate },
    attackSucceeded: share > alpha,
    merchantShipped: false,
    payment: 'none (no payment in this attack)',
    story: storyOf(lab.timeline.events.slice(firstEvent)),
    figures: {
      alpha,
      start_height: start.height,
      end_height: start.height + chain.length,
      tip,
      chain_blocks: chain.length,
      attacker_blocks: attackerBlocks,
      honest_blocks: chain.length - attackerBlocks,
      revenue_share: share,
      eyal_sirer_gamma0: selfishRevenue(alpha, 0),
      withheld_blocks: withheld,
      releases,
      orphaned_honest_blocks: orphaned.length,
      race_hits: races.hits,
      race_misses: races.misses,
      orphaned_in_reorgs: orphans().size,
      orphaned_hashes: orphaned.join(','),
      chain_hashes: chain.map((b) => b.hash).join(','),
      attacker_hashes: chain
        .flatMap((b) => (b.mined_by === attackerAddress ? [b.hash] : []))
        .join(','),
    },
    runMs: lab.timeline.now() - started,
  };
}

/** Honest blocks found since `from` that their finder's node itself left behind in a reorg. */
function orphanedHonest(lab: Lab, from: number): Set<string> {
  const events = lab.timeline.events.slice(from);
  const found = honestFound(lab, from);
  const orphaned = new Set<string>();
  for (const e of events)
    if (e.kind === 'reorg')
      for (const left of (e as { left_behind?: { hash: string }[] }).left_behind ?? [])
        if (found.get(left.hash) === e.node) orphaned.add(left.hash);
  return orphaned;
}

/** Blocks found by the honest miners since `from`: hash → the node that found it. */
function honestFound(lab: Lab, from: number): Map<string, string> {
  return new Map(
    lab.timeline.events
      .slice(from)
      .flatMap((e) =>
        e.kind === 'found' && e.node.startsWith('honest') ? [[e.hash, e.node] as const] : [],
      ),
  );
}

/**
 * gamma, counted: in each race (the attacker released a block of the same height and parent
 * as an honest block), the honest blocks found on top of either side. A hit is one on the
 * attacker's block: Eyal and Sirer's gamma is the share of honest mining that does that.
 */
export function raceOutcomes(
  events: readonly LabEvent[],
  attacker: string,
): { races: number; hits: number; misses: number } {
  const parent = new Map<string, string>();
  const height = new Map<string, number>();
  for (const e of events)
    if (e.kind === 'block' || e.kind === 'withheld') {
      parent.set(e.hash, e.prev_hash);
      height.set(e.hash, e.height);
    }
  const released = new Set(
    events.flatMap((e) =>
      e.kind === 'released' && e.node === attacker ? e.blocks.map((b) => b.hash) : [],
    ),
  );
  const honest = new Set(
    events.flatMap((e) => (e.kind === 'found' && e.node !== attacker ? [e.hash] : [])),
  );
  // Each race: the attacker's released block and the honest block it matched.
  const sides = new Map<string, 'attacker' | 'honest'>();
  let races = 0;
  for (const a of released) {
    const rival = [...honest].find(
      (h) => parent.get(h) === parent.get(a) && height.get(h) === height.get(a),
    );
    if (rival === undefined) continue;
    races++;
    sides.set(a, 'attacker');
    sides.set(rival, 'honest');
  }
  let hits = 0;
  let misses = 0;
  for (const h of honest) {
    const side = sides.get(parent.get(h) ?? '');
    if (side === 'attacker') hits++;
    else if (side === 'honest') misses++;
  }
  return { races, hits, misses };
}

/** The main chain's blocks above `height` on `node`, up to `tip`, with who each pays. */
async function chainSince(lab: Lab, node: string, height: number, tip: string) {
  const rows: { height: number; hash: string; mined_by?: string | undefined }[] = [];
  let before: number | null = (await lab.client(node).info()).height + 1;
  while (before !== null && before > height + 1) {
    const page: { blocks: typeof rows; next_before_height: number | null } = await lab
      .client(node)
      .request('blocks', {
        query: { before_height: String(before), limit: '100' },
      });
    for (const b of page.blocks) if (b.height > height) rows.push(b);
    before = page.next_before_height;
  }
  if (rows[0]?.hash !== tip) throw new Error(`${node} moved past the final tip while being read`);
  return rows;
}
