/**
 * What a sync tells the log. A branch of many blocks from a peer is reported as progress lines,
 * at most one a second (height, blocks added, rate), and the sync's last line says how many it
 * added: a sync of 10,000 blocks no longer prints 10,000 lines (Bitcoin Core and geth report a
 * sync so too). A branch of one block (a new block at the peer's tip) keeps the node's own
 * `block N connected` line (src/node/wireEvents.ts), as does a block mined here or gossiped
 * while a run is under way: only the run's own blocks are left to its progress lines.
 */
import type { Logger } from 'pino';
import { formatCount } from '../core/index.js';

/** A header of a branch a sync is adding: its height and hash. */
export interface BranchHeader {
  readonly header: { readonly height: number };
  readonly hashHex: string;
}

/** Lines a second at most while a sync adds blocks. */
const LINE_EVERY_MS = 1000;

export class SyncLog {
  /** Syncs adding a branch of more than one block now. */
  private readonly running = new Set<SyncReport>();

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /**
   * Whether the block at `height` with hash `hashHex` is one a run is adding (reported by its
   * progress lines), not one mined here or gossiped meanwhile.
   */
  covers(height: number, hashHex: string): boolean {
    for (const report of this.running) if (report.covers(height, hashHex)) return true;
    return false;
  }

  /** The report of one sync from `peer`; `end()` it once the sync is over, however it ended. */
  start(peer: string): SyncReport {
    return new SyncReport(this.logger, this.now, peer, (report, running) => {
      if (running) this.running.add(report);
      else this.running.delete(report);
    });
  }
}

export class SyncReport {
  /** The branch being added while this sync is in a run (more than one block). */
  private branchHeaders: readonly BranchHeader[] = [];
  private readonly startedAt: number;
  private lineAt = 0;
  private added = 0;
  private addedAtLine = 0;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly peer: string,
    private readonly mark: (report: SyncReport, running: boolean) => void,
  ) {
    this.startedAt = now();
  }

  private get running(): boolean {
    return this.branchHeaders.length > 0;
  }

  /**
   * The sync is about to add the branch of `headers` (in height order): more than one is a run.
   * A run goes on across the sync's later branches, even one of a single block.
   */
  branch(headers: readonly BranchHeader[]): void {
    if (headers.length === 0 || (headers.length === 1 && !this.running)) return;
    if (!this.running) {
      this.lineAt = this.now();
      this.addedAtLine = this.added;
      this.mark(this, true);
    }
    this.branchHeaders = headers;
  }

  /** Whether the block at `height` with hash `hashHex` is in the branch this run adds. */
  covers(height: number, hashHex: string): boolean {
    const first = this.branchHeaders[0];
    if (first === undefined) return false;
    return this.branchHeaders[height - first.header.height]?.hashHex === hashHex;
  }

  /** A block was added; a progress line if a second has passed since the last. */
  progress(height: number, targetHeight: number): void {
    this.added++;
    if (!this.running) return;
    const at = this.now();
    if (at - this.lineAt < LINE_EVERY_MS) return;
    const blocks = this.added - this.addedAtLine;
    const perSecond = (blocks * 1000) / (at - this.lineAt);
    this.logger.info(
      { peer: this.peer, height, blocks: this.added },
      `syncing: block ${height} of ${targetHeight}, ${rateText(perSecond)} blocks/s`,
    );
    this.lineAt = at;
    this.addedAtLine = this.added;
  }

  /** Milliseconds since the sync started. */
  get elapsedMs(): number {
    return this.now() - this.startedAt;
  }

  end(): void {
    if (this.running) this.mark(this, false);
    this.branchHeaders = [];
  }
}

/** A rate as a person reads it: whole numbers from 10 up (`4,000`), one decimal below (`0.5`). */
function rateText(perSecond: number): string {
  return perSecond >= 10 ? formatCount(perSecond) : perSecond.toFixed(1);
}
