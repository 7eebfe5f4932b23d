/**
 * Logs: pino underneath. `json` writes pino's lines for machines; `pretty` (the default) writes
 * one short line per event for a person: `12:00:01 INFO  block 5 connected …`.
 */
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

const { chindingsSym, serializersSym, stringifySym, stringifySafeSym } = pino.symbols;
/** Keys of pino's line that an event's own field of the same name would displace. */
const RESERVED = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

type Stringify = (value: unknown, safe: unknown) => string | undefined;
/** What pino tells a destination that asks for metadata (pino.symbols.needsMetadataGsym). */
interface PinoMetadata {
  lastLevel: number;
  lastTime: string;
  lastMsg: unknown;
  lastObj: Record<string, unknown>;
  lastLogger: Logger & Record<symbol, unknown>;
}

/** `HH:MM:SS` of a time in milliseconds (UTC), cached for the second it falls in. */
function clockOf(): (ms: number) => string {
  let second = Number.NaN;
  let text = '';
  return (ms) => {
    const s = Math.floor(ms / 1000);
    if (s !== second) {
      second = s;
      text = new Date(ms).toISOString().slice(11, 19);
    }
    return text;
  };
}

/** The line for one event as pino's JSON line parsed back (the general way). */
function lineOfRecord(record: Record<string, unknown>, clock: (ms: number) => string): string {
  const { level, time, msg, err, pid: _pid, hostname: _host, ...rest } = record;
  const fields = Object.entries(rest).map(
    ([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`,
  );
  const stack = err && typeof err === 'object' && 'stack' in err ? `\n${String(err.stack)}` : '';
  return `${clock(Number(time))} ${LEVELS[Number(level)] ?? level} ${String(msg ?? '')}${fields.length ? `  ${fields.join(' ')}` : ''}${stack}\n`;
}

/**
 * The same line from the event itself (pino's metadata: its level, time, message and object),
 * without parsing pino's JSON back; undefined when the general way is needed (a child logger's
 * bindings, a field named as one of pino's own keys, a message that is not a string).
 */
function lineOfEvent(m: PinoMetadata, rootBindings: unknown, clock: (ms: number) => string) {
  const { lastObj: obj, lastMsg: msg, lastLogger: logger } = m;
  if (logger[chindingsSym] !== rootBindings) return undefined;
  if (msg !== undefined && typeof msg !== 'string') return undefined;
  const stringify = logger[stringifySym] as Stringify;
  const safe = logger[stringifySafeSym];
  /** A value as pino's JSON gives it back: parsed again only when it is not a plain value. */
  const text = (v: unknown): string | undefined => {
    switch (typeof v) {
      case 'string':
        return v;
      case 'number':
        return Number.isFinite(v) ? JSON.stringify(v) : 'null';
      case 'boolean':
        return String(v);
      case 'undefined':
      case 'function':
        return undefined;
      default: {
        const json = stringify(v, safe);
        if (json === undefined) return undefined;
        const back = JSON.parse(json) as unknown;
        return typeof back === 'string' ? back : JSON.stringify(back);
      }
    }
  };
  const serializers = logger[serializersSym] as Record<
    string,
    ((v: unknown) => unknown) | undefined
  >;
  let fields = '';
  let stack = '';
  for (const key in obj) {
    if (!Object.hasOwn(obj, key)) continue;
    let value = obj[key];
    if (value === undefined) continue;
    if (RESERVED.has(key)) return undefined;
    const serializer = serializers[key];
    if (serializer) value = serializer(value);
    if (key === 'err') {
      // Parsed back as before: an error's line is rare, and its stack printed as pino wrote it.
      const json = typeof value === 'object' && value ? stringify(value, safe) : undefined;
      const back = json === undefined ? undefined : (JSON.parse(json) as unknown);
      if (back && typeof back === 'object' && 'stack' in back) stack = `\n${String(back.stack)}`;
      continue;
    }
    const shown = text(value);
    if (shown !== undefined) fields += `${fields ? ' ' : '  '}${key}=${shown}`;
  }
  return `${clock(Number(m.lastTime))} ${LEVELS[m.lastLevel] ?? m.lastLevel} ${msg ?? ''}${fields}${stack}\n`;
}

/**
 * PERF: formats each event from what pino hands a destination that asks for metadata, instead of
 * parsing pino's JSON line back (the way before, test/support/prettyBefore.ts; the same text:
 * test/unit/node/logger.test.ts). CPU a `block N connected` line, formatting alone, before/after
 * alternated (bench/lib/logCost.ts, load 7–9): 4.8 → 2.6 µs and 6.0 → 4.2 µs. A fresh node's
 * register + resolve onto 20 blocks hardly moves with it (cold code and the lines' count weigh
 * more than their format: src/p2p/syncLog.ts).
 */
function prettyDestination(out: NodeJS.WritableStream, root: () => Logger): pino.DestinationStream {
  const clock = clockOf();
  const destination = {
    [pino.symbols.needsMetadataGsym]: true,
    write(line: string) {
      const m = destination as unknown as PinoMetadata;
      const rootBindings = (root() as unknown as Record<symbol, unknown>)[chindingsSym];
      out.write(
        lineOfEvent(m, rootBindings, clock) ??
          lineOfRecord(JSON.parse(line) as Record<string, unknown>, clock),
      );
    },
  };
  return destination;
}

export function createLogger(
  format: LogFormat,
  level = 'info',
  out: NodeJS.WritableStream = process.stderr,
): Logger {
  if (format === 'json') return pino({ level }, out as pino.DestinationStream);
  const logger: Logger = pino(
    { level },
    prettyDestination(out, () => logger),
  );
  return logger;
}

export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
