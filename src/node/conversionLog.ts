/**
 * What the node says while it converts an older data directory at open (sqliteSchema.ts): the
 * copy runs before the node answers anything, and on a long chain it takes a while (bench/connect.ts's
 * memory part measures it), so the log says what is going on and that stopping is safe.
 */
import type { Logger } from 'pino';
import { formatCount } from '../core/index.js';
import type { ConversionStep } from '../storage/sqliteSchema.js';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function logConversion(logger: Logger): (step: ConversionStep) => void {
  return (step) => {
    switch (step.step) {
      case 'start':
        logger.warn(
          { conversion: 'start' },
          'converting this data directory to the slim index layout (one SQL transaction; on a long chain it takes a while: stopping the node meanwhile is safe, it starts over at the next start)',
        );
        return;
      case 'txs':
      case 'history':
        logger.info(
          { conversion: step.step, rows: step.rows, ms: Math.round(step.ms) },
          `converting: ${step.step === 'txs' ? 'transaction index' : 'account history'} copied, ${formatCount(step.rows)} rows in ${seconds(step.ms)}`,
        );
        return;
      case 'done':
        logger.info(
          { conversion: 'done', ms: Math.round(step.ms) },
          `converted to the slim index layout in ${seconds(step.ms)}`,
        );
    }
  };
}
