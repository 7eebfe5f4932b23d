/**
 * A node in a child process that stops itself (SIGSTOP) in the middle of converting its data
 * directory from the previous layout (src/storage/sqliteSchema.ts), inside the conversion's SQL
 * transaction: `node --import tsx test/support/convertingNodeChild.ts <dataDir>` prints
 * `{"stopped": "txs"}` on stdout once the transaction index is copied and the account history
 * not yet, then stops. The parent kills it there (SIGKILL). Without an older file to convert,
 * it prints `{"url"}` once it listens.
 */
import { pino } from 'pino';
import { createNode } from '../../src/node/createNode.js';
import { easyParams } from './chainBuilder.js';

const [dataDir] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: convertingNodeChild.ts <dataDir>');
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

// The node's own log lines, read as it writes them (pino writes to this stream synchronously, so
// the conversion's transaction is still open when the line for its first step arrives).
const logger = pino(
  { level: 'info' },
  {
    write(line: string) {
      const entry = JSON.parse(line) as { conversion?: string };
      if (entry.conversion === 'txs') {
        // stdout is a pipe, written synchronously: the parent has the line before the stop.
        say({ stopped: entry.conversion });
        process.kill(process.pid, 'SIGSTOP');
      }
    },
  },
);
const node = await createNode({ params: easyParams, dataDir, host: '127.0.0.1', port: 0, logger });
say({ url: node.url });
process.once('SIGTERM', () => void node.close().then(() => process.exit(0)));
