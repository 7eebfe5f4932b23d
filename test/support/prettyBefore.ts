/**
 * The pretty log stream as it was before the direct formatter (src/node/logger.ts): pino's JSON
 * line parsed back and formatted. Kept for test/unit/node/logger.test.ts, which checks that the
 * direct formatter writes the same text, and for bench/logCost.ts, which compares their cost.
 */
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};

function prettyStream(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        const {
          level,
          time,
          msg,
          err,
          pid: _pid,
          hostname: _host,
          ...rest
        } = JSON.parse(line) as Record<string, unknown>;
        const clock = new Date(Number(time)).toISOString().slice(11, 19);
        const fields = Object.entries(rest).map(
          ([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
        );
        const stack =
          err && typeof err === 'object' && 'stack' in err ? `\n${String(err.stack)}` : '';
        out.write(
          `${clock} ${LEVELS[Number(level)] ?? level} ${String(msg ?? '')}${fields.length ? `  ${fields.join(' ')}` : ''}${stack}\n`,
        );
      }
      done();
    },
  });
}

/** createLogger('pretty', level, out) as it was. */
export function prettyLoggerBefore(level: string, out: NodeJS.WritableStream): Logger {
  return pino({ level }, prettyStream(out));
}
