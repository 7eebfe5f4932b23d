/**
 * Part (a) of bench p2p: a block and a transfer along a line of five node processes, each
 * arrival timed on the machine's one monotonic clock against the round trips a hop takes.
 */
import { join } from 'node:path';
import {
  type Block,
  blockHashHex,
  encodeBlock,
  encodeTx,
  hashTx,
  maxTransfersPerBlock,
  type NetworkParams,
  toHex,
} from '../../src/core/index.js';
import { fundedChain } from './fundedChain.js';
import { type Answer, type NodeChild, startNode } from './nodeChild.js';
import { ms, printAim, quantile } from './report.js';

export const NODES = 5;
export const WARM_UP_BLOCKS = 3;
export const BLOCKS = 30;
/** Transfers sent along the line, one at a time, after the blocks. */
const TRANSFERS = 30;
/** Issue 13, aim 4: a block or a transfer across the line of 5, 95th percentile. */
const PROPAGATION_AIM_MS = 60;
/** Full blocks sent along the line after the empty ones. */
export const FULL_PROPAGATED = 3;

export interface PropagationOptions {
  readonly params: NetworkParams;
  /** Funded senders of the line's chain. */
  readonly senders: number;
  /** Prints one row of the bench's table. */
  readonly out: (...cells: string[]) => void;
}

const sleep = (delayMs: number) => new Promise((resolve) => setTimeout(resolve, delayMs));

async function info(url: string): Promise<Answer> {
  const response = await fetch(`${url}/api/info`);
  return response.json();
}

/** Waits until `test` holds, polling every 50 ms; throws after `limitMs`. */
async function waitFor(what: string, limitMs: number, test: () => Promise<boolean>) {
  const deadline = performance.now() + limitMs;
  while (!(await test())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

function withTimeout<T>(promise: Promise<T>, limitMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), limitMs);
    }),
  ]);
}

/**
 * Submits `block` to the first node; each node's arrival time less the first's (ms), and how
 * long the first node's chain.addBlock took.
 */
async function propagate(
  line: readonly NodeChild[],
  block: Block,
): Promise<{ times: number[]; addMs: number }> {
  const hash = blockHashHex(block.header);
  const arrivals = Promise.all(line.map((n) => n.tipArrived(hash)));
  const added = await line[0]!.command('add', { hex: toHex(encodeBlock(block)) });
  if (!added.ok) throw new Error(`node 0 refused block ${block.header.height}: ${added.code}`);
  const times = await withTimeout(
    arrivals,
    // A full block's signatures take seconds a hop on a busy machine.
    120_000,
    `block ${block.header.height} reaching every node`,
  );
  await sleep(100); // the last round trips of this block settle before the next
  return { times: times.map((t) => Number(t - times[0]!) / 1e6), addMs: added.ms };
}

/**
 * (a) Propagation along a line of five nodes, measured now; the function it returns prints it.
 */
export async function propagationPart(
  temp: string,
  started: NodeChild[],
  { params, senders, out }: PropagationOptions,
): Promise<() => void> {
  const line: NodeChild[] = [];
  for (let i = 0; i < NODES; i++) {
    const peers = i > 0 ? [line[i - 1]!.url] : [];
    const node = await startNode({ dataDir: join(temp, `line${i}`), peers });
    started.push(node);
    line.push(node);
  }
  // Introductions go both ways: the ends have one peer, the others two.
  await waitFor('the line to form', 20_000, async () => {
    const counts = await Promise.all(line.map(async (n) => (await info(n.url)).peer_count));
    return counts.every((count, i) => count === (i === 0 || i === NODES - 1 ? 1 : 2));
  });
  const rtts: number[] = [];
  for (let i = 0; i < 60; i++) {
    const t0 = performance.now();
    await info(line[1]!.url);
    if (i >= 10) rtts.push(performance.now() - t0);
  }
  const rtt = quantile(rtts, 0.5);

  // Blocks 1 and 2 fund the senders (warm-up, with the first empty blocks), then empty blocks,
  // then full ones.
  const lineChain = fundedChain(params, {
    senders,
    spends: FULL_PROPAGATED * maxTransfersPerBlock(params.maxBlockBytes),
  });
  const latencies: number[][] = line.map(() => []);
  const slowest: number[] = [];
  for (const block of lineChain.builder.blocks.slice(1)) await propagate(line, block);
  for (let b = 0; b < WARM_UP_BLOCKS + BLOCKS; b++) {
    const { times } = await propagate(line, lineChain.builder.mine());
    if (b < WARM_UP_BLOCKS) continue;
    for (const [i, value] of times.entries()) latencies[i]!.push(value);
    slowest.push(Math.max(...times));
  }
  const fullLatencies: number[][] = line.map(() => []);
  const fullAddMs: number[] = [];
  for (let b = 0; b < FULL_PROPAGATED; b++) {
    const { times, addMs } = await propagate(line, lineChain.fullBlock());
    fullAddMs.push(addMs);
    for (const [i, value] of times.entries()) fullLatencies[i]!.push(value);
  }
  // Transfers along the same line: submitted to node 0's mempool, timed into every node's.
  const txLatencies: number[] = [];
  for (let i = 0; i < TRANSFERS; i++) {
    const tx = lineChain.nextTransfer();
    const id = toHex(hashTx(tx));
    const arrivals = Promise.all(line.map((n) => n.txArrived(id)));
    const added = await line[0]!.command('addTx', { hex: toHex(encodeTx(tx)) });
    if (!added.ok) throw new Error(`node 0 refused a transfer: ${added.code}`);
    const times = await withTimeout(arrivals, 30_000, 'a transfer reaching every node');
    txLatencies.push(Number(times[NODES - 1]! - times[0]!) / 1e6);
    await sleep(50);
  }
  for (const node of line.splice(0)) {
    await node.close();
    started.splice(started.indexOf(node), 1);
  }

  return () => {
    const hopFloor = 2 * rtt;
    // A full block's hop also connects the block: as long as node 0 took to (and its fetch).
    const fullHopFloor = hopFloor + quantile(fullAddMs, 0.5);
    const latencyRows = (values: readonly number[][], floor: number) => {
      for (let i = 1; i < NODES; i++) {
        const these = values[i]!;
        out(
          `node ${i} (${i} hop${i > 1 ? 's' : ''} from node 0)`,
          ms(quantile(these, 0.5)),
          ms(quantile(these, 0.95)),
          ms(Math.max(...these)),
          ms(i * floor),
          `${(quantile(these, 0.5) / (i * floor)).toFixed(1)}×`,
        );
      }
    };
    out(`(a) block propagation, ${NODES} processes in a line`);
    out('', 'median', '95th pct', 'max', 'floor', 'median');
    out(`${BLOCKS} blocks, coinbase only`, '', '', '', '(hops)', '÷ floor');
    latencyRows(latencies, hopFloor);
    out(
      `all ${NODES} nodes have it`,
      ms(quantile(slowest, 0.5)),
      ms(quantile(slowest, 0.95)),
      ms(Math.max(...slowest)),
    );
    out(
      `${FULL_PROPAGATED} full blocks (1 MB); node 0's chain.addBlock, median ${ms(quantile(fullAddMs, 0.5))}`,
    );
    latencyRows(fullLatencies, fullHopFloor);
    out(`HTTP round trip (GET /api/info)`, ms(rtt));
    out(
      `${TRANSFERS} transfers, node 0 to node 4`,
      ms(quantile(txLatencies, 0.5)),
      ms(quantile(txLatencies, 0.95)),
      ms(Math.max(...txLatencies)),
      ms(4 * rtt),
    );
    out();
    const blockP95 = quantile(slowest, 0.95);
    printAim({
      name: `4 a block across a line of ${NODES} nodes, 95th percentile`,
      figure: ms(blockP95),
      reference: `floor ${ms((NODES - 1) * hopFloor)} (2 round trips a hop)`,
      ratio: `${(blockP95 / ((NODES - 1) * hopFloor)).toFixed(1)}×`,
      target: `< ${PROPAGATION_AIM_MS} ms`,
      met: blockP95 < PROPAGATION_AIM_MS,
    });
    const txP95 = quantile(txLatencies, 0.95);
    printAim({
      name: `4 a transfer across a line of ${NODES} nodes, 95th percentile`,
      figure: ms(txP95),
      reference: `floor ${ms((NODES - 1) * rtt)} (1 round trip a hop)`,
      ratio: `${(txP95 / ((NODES - 1) * rtt)).toFixed(1)}×`,
      target: `< ${PROPAGATION_AIM_MS} ms`,
      met: txP95 < PROPAGATION_AIM_MS,
    });
    out();
  };
}
