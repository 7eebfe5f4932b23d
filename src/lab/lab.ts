/**
 * The lab controller: N real node processes on the lab network, wired as a full mesh, steered
 * through their lab routes (hash-rate cap, mining, links, withholding) and watched through their
 * event streams, all on one timeline. Scenarios (scenarios/) and the Lab page use this.
 *
 *   const lab = await Lab.start({ nodes: ['honest', 'merchant'], dir, command });
 *   await lab.setHashRate('honest', 20_000, true);
 *   await lab.partition(['honest'], ['merchant']);  … await lab.heal();
 *   await lab.close();
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../api/client.js';
import type { Answer } from '../api/contract.js';
import { openEventFeed } from './eventFeed.js';
import { LabNode, ownCommand } from './labNode.js';
import { Timeline } from './timeline.js';

export interface LabOptions {
  /** The nodes' names, in start order. */
  readonly nodes: readonly string[];
  /** Reward addresses by node name (the scenario's actors); default the node's own. */
  readonly minerAddresses?: Readonly<Record<string, string>>;
  /** Where the nodes keep their chains (default: a new temporary folder, removed at close). */
  readonly dir?: string;
  readonly command?: readonly [string, ...string[]];
  readonly onLine?: (node: string, line: string) => void;
}

export type LabStatus = Answer<'labStatus'>;

export class Lab {
  readonly timeline = new Timeline();
  readonly nodes = new Map<string, LabNode>();
  private readonly feeds: { close(): void }[] = [];
  /** Each node's own address (its key), once it answered. */
  readonly addresses = new Map<string, string>();
  /** The scenario's people by name (attacker, merchant…): the page shows their balances. */
  readonly actors = new Map<string, string>();

  private constructor(
    private readonly dir: string,
    private readonly ownDir: boolean,
    private readonly options: LabOptions,
  ) {}

  static async start(options: LabOptions): Promise<Lab> {
    const ownDir = options.dir === undefined;
    const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'blockyard-lab-'));
    const lab = new Lab(dir, ownDir, options);
    try {
      const nodes = options.nodes.map(
        (name) =>
          new LabNode({
            name,
            dir,
            command: options.command ?? ownCommand(),
            minerAddress: options.minerAddresses?.[name],
            onLine: options.onLine && ((line) => options.onLine?.(name, line)),
          }),
      );
      for (const node of nodes) lab.nodes.set(node.name, node);
      // PERF: started side by side (a node takes seconds to load), then introduced: each node
      // registers every node before it, and hellos go both ways, so they form a full mesh.
      await Promise.all(nodes.map((node) => node.start()));
      await Promise.all(nodes.map((node) => lab.follow(node)));
      for (const [i, node] of nodes.entries()) {
        const before = nodes.slice(0, i).map((n) => n.url);
        if (before.length > 0)
          await lab.client(node.name).request('registerNodes', { body: { nodes: before } });
      }
      await lab.waitForMesh();
    } catch (error) {
      await lab.close();
      throw error;
    }
    return lab;
  }

  /** Opens the node's event stream onto the timeline; resolves once it is open. */
  private async follow(node: LabNode): Promise<void> {
    await new Promise<void>((resolve) => {
      this.feeds.push(
        openEventFeed(
          () => node.url,
          (event) => this.timeline.addFromNode(node.name, event.type, event.data),
          resolve,
        ),
      );
    });
    this.addresses.set(node.name, (await this.status(node.name)).node_address);
  }

  /** Where each node's block rewards go: its scenario actor's address, else its own. */
  rewardAddress(name: string): string | undefined {
    return this.options.minerAddresses?.[name] ?? this.addresses.get(name);
  }

  /** Names a person of the scenario, so the page can show what their address holds. */
  addActor(name: string, address: string): void {
    this.actors.set(name, address);
  }

  /**
   * Starts one more real node, introduces it to every running node and waits until they answer
   * each other: a laptop joining the class. It syncs the chain from them as any new node does.
   */
  async addNode(name: string): Promise<void> {
    if (this.nodes.has(name)) throw new Error(`the lab already has a node "${name}"`);
    const node = new LabNode({
      name,
      dir: this.dir,
      command: this.options.command ?? ownCommand(),
      onLine: this.options.onLine && ((line) => this.options.onLine?.(name, line)),
    });
    const peers = [...this.nodes.values()].filter((n) => n.state === 'running').map((n) => n.url);
    this.nodes.set(name, node);
    try {
      this.timeline.back(name);
      await node.start(peers);
      await this.follow(node);
      if (peers.length > 0)
        await this.client(name).request('registerNodes', { body: { nodes: peers } });
      await this.waitForPeers(name, peers);
    } catch (error) {
      await node.stop();
      this.nodes.delete(name);
      throw error;
    }
    this.control('add', `${name} joined (${peers.length} peer(s))`);
  }

  get names(): string[] {
    return [...this.nodes.keys()];
  }

  node(name: string): LabNode {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`the lab has no node "${name}" (it has ${this.names.join(', ')})`);
    return node;
  }

  client(name: string) {
    return createClient({ baseUrl: this.node(name).url });
  }

  status(name: string): Promise<LabStatus> {
    return this.client(name).request('labStatus');
  }

  /** A line of the story, on the timeline. */
  say(text: string, node = 'lab'): void {
    this.timeline.add({ node, kind: 'story', text });
  }

  private control(action: string, detail: string): void {
    this.timeline.add({ node: 'lab', kind: 'control', action, detail });
  }

  async setHashRate(name: string, hashRate: number | null, mining?: boolean): Promise<void> {
    await this.client(name).request('labMiner', {
      body: { hash_rate: hashRate, ...(mining === undefined ? {} : { mining }) },
    });
    this.control(
      'hash_rate',
      `${name}: ${hashRate === null ? 'no cap' : `${hashRate} H/s`}${mining === undefined ? '' : mining ? ', mining' : ', not mining'}`,
    );
  }

  async setMining(name: string, mining: boolean): Promise<void> {
    await this.client(name).request('labMiner', { body: { mining } });
    this.control('mining', `${name}: ${mining ? 'mining' : 'not mining'}`);
  }

  /** Cuts (or restores) the link between two nodes, at both ends. */
  async setLink(a: string, b: string, change: { cut?: boolean; delay_ms?: number }): Promise<void> {
    await Promise.all([
      this.client(a).request('labLinks', { body: { peers: [this.node(b).url], ...change } }),
      this.client(b).request('labLinks', { body: { peers: [this.node(a).url], ...change } }),
    ]);
    const what =
      change.cut === undefined ? `delay ${change.delay_ms} ms` : change.cut ? 'cut' : 'restored';
    this.control('link', `${a} ↔ ${b}: ${what}`);
  }

  /** Cuts every link between the two groups. */
  async partition(left: readonly string[], right: readonly string[]): Promise<void> {
    for (const a of left) for (const b of right) await this.setLink(a, b, { cut: true });
    this.control('partition', `{${left.join(', ')}} | {${right.join(', ')}}`);
  }

  /** Restores every link between running nodes (delays stay). */
  async heal(): Promise<void> {
    const names = this.names.filter((n) => this.node(n).state === 'running');
    for (const name of names) {
      const peers = names.filter((n) => n !== name).map((n) => this.node(n).url);
      await this.client(name).request('labLinks', { body: { peers, cut: false } });
    }
    this.control('heal', 'every link restored');
    // Each node asks the others for what it missed now, not at its next timer.
    await Promise.all(
      names.map((n) =>
        this.client(n)
          .request('resolve')
          .catch(() => undefined),
      ),
    );
  }

  async withhold(name: string, on: boolean): Promise<LabStatus> {
    const status = await this.client(name).request('labWithhold', { body: { on } });
    this.control(
      'withhold',
      `${name}: ${on ? 'mining a private branch' : 'private branch dropped'}`,
    );
    return status;
  }

  async release(name: string, count?: number) {
    const answer = await this.client(name).request('labRelease', {
      body: count === undefined ? {} : { count },
    });
    this.control('release', `${name}: ${answer.released.length} private block(s) released`);
    return answer;
  }

  /**
   * From now on the node releases by itself: as soon as its private branch is longer than the
   * public chain (`ahead`), or by Eyal and Sirer's rules (`selfish`). Its `released` events say when.
   */
  async releaseWhen(name: string, when: 'ahead' | 'selfish') {
    const answer = await this.client(name).request('labRelease', { body: { when } });
    this.control(
      'release',
      `${name}: releases by itself ${when === 'ahead' ? 'once its branch is longer' : 'by the selfish rules'}${answer.released.length > 0 ? ` (${answer.released.length} block(s) at once)` : ''}`,
    );
    return answer;
  }

  async stopNode(name: string): Promise<void> {
    await this.node(name).stop();
    this.control('stop', name);
  }

  pauseNode(name: string): void {
    this.node(name).pause();
    this.control('pause', name);
  }

  resumeNode(name: string): void {
    this.timeline.back(name);
    this.node(name).resume();
    this.control('resume', name);
  }

  async restartNode(name: string): Promise<void> {
    const node = this.node(name);
    await node.stop();
    const peers = this.names.filter((n) => n !== name).map((n) => this.node(n).url);
    this.timeline.back(name);
    await node.start(peers);
    this.control('restart', name);
  }

  /** Resolves once every node has every other as an answering peer. */
  private async waitForMesh(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const name of this.names) {
      const others = this.names.filter((n) => n !== name).map((n) => this.node(n).url);
      await this.waitUntilAnswering(name, others, deadline);
    }
  }

  /** Resolves once the node and each of `peers` answer each other. */
  private async waitForPeers(name: string, peers: readonly string[], timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    await this.waitUntilAnswering(name, peers, deadline);
    const url = this.node(name).url;
    for (const other of this.names.filter((n) => peers.includes(this.node(n).url)))
      await this.waitUntilAnswering(other, [url], deadline);
  }

  private async waitUntilAnswering(name: string, urls: readonly string[], deadline: number) {
    for (;;) {
      const peers = await this.client(name).request('peers');
      const answering = new Set(peers.peers.filter((p) => p.answering).map((p) => p.url));
      if (urls.every((url) => answering.has(url))) return;
      if (Date.now() > deadline) throw new Error(`${name} did not reach every other node`);
      // NOTE: no event says a peer answers now; the mesh forms within a ping or two.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async close(): Promise<void> {
    for (const feed of this.feeds) feed.close();
    await Promise.all([...this.nodes.values()].map((node) => node.stop()));
    if (this.ownDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
