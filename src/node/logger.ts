/**
 * Logs: pino underneath. `json` writes pino's lines for machines; `pretty` (the default) writes
 * one short line per event for a person: `12:00:01 INFO  block 5 connected …`.
 */
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';

export type LogFormat = 'pretty' | 'json';

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

export function createLogger(
  format: LogFormat,
  level = 'info',
  out: NodeJS.WritableStream = process.stderr,
): Logger {
  return pino({ level }, format === 'json' ? (out as pino.DestinationStream) : prettyStream(out));
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
