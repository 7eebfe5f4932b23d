/**
 * What a sync tells the log. A branch of many blocks from a peer is reported as progress lines,
 * at most one a second (height, blocks added, rate), and the sync's last line says how many it
 * added: a sync of 10,000 blocks no longer prints 10,000 lines (Bitcoin Core and geth report a
 * sync so too). A branch of one block (a new block at the peer's tip) keeps the node's own
 * `block N connected` line (src/node/wireEvents.ts), as a block mined here or gossiped does.
 */
import type { Logger } from 'pino';

/** Lines a second at most while a sync adds blocks. */
const LINE_EVERY_MS = 1000;

export class SyncLog {
  /** Syncs adding a branch of more than one block now. */
  private runs = 0;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** Whether a block connected now is a synced run's (reported by its progress lines). */
  get inRun(): boolean {
    return this.runs > 0;
  }

  /** The report of one sync from `peer`; `end()` it once the sync is over, however it ended. */
  start(peer: string): SyncReport {
    return new SyncReport(this.logger, this.now, peer, (delta) => {
      this.runs += delta;
    });
  }
}

export class SyncReport {
  private running = false;
  private readonly startedAt: number;
  private lineAt = 0;
  private added = 0;
  private addedAtLine = 0;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly peer: string,
    private readonly count: (delta: number) => void,
  ) {
    this.startedAt = now();
  }

  /** The sync is about to add a branch of `blocks` blocks: more than one is a run. */
  branch(blocks: number): void {
    if (blocks > 1 && !this.running) {
      this.running = true;
      this.count(1);
      this.lineAt = this.now();
      this.addedAtLine = this.added;
    }
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
    if (this.running) this.count(-1);
    this.running = false;
  }
}

/** A rate as a person reads it: whole numbers from 10 up (`4,000`), one decimal below (`0.5`). */
function rateText(perSecond: number): string {
  return perSecond >= 10 ? Math.round(perSecond).toLocaleString('en-US') : perSecond.toFixed(1);
}
