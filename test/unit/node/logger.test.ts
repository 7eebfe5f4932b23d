/**
 * The pretty log format written from pino's metadata (src/node/logger.ts) gives the same text as
 * pino's JSON line parsed back (the way before: test/support/prettyBefore.ts), event for event.
 */
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/node/logger.js';
import { prettyLoggerBefore } from '../../support/prettyBefore.js';

function collecting(): { out: Writable; text: () => string } {
  const chunks: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { out, text: () => chunks.join('') };
}

class Failure extends Error {
  code = 'E_FAIL';
}

/** Made once, so that both loggers see the same stacks. */
const plain = new Error('plain failure');
const coded = new Failure('with code');
const caused = new Error('outer', { cause: new Error('inner') });

const circular: Record<string, unknown> = { name: 'loop' };
circular.self = circular;

/** Events as the node logs them, and the odd ones a format must survive. */
const EVENTS: ((log: Logger) => void)[] = [
  (log) => log.info({ hash: 'ab'.repeat(32), txs: 3 }, 'block 5 connected'),
  (log) => log.info('listening on http://127.0.0.1:8333'),
  (log) => log.info({ peer: 'http://127.0.0.1:1', blocks: 20, height: 20 }, 'synced from peer'),
  (log) => log.warn({ depth: 2, from: 'aa', to: 'bb' }, 'reorganised 2 block(s) back to 3'),
  (log) => log.trace('a trace'),
  (log) => log.debug({ n: 1 }, 'a debug'),
  (log) => log.error('an error'),
  (log) => log.fatal({ code: 'X' }, 'fatal'),
  (log) => log.info({ kernel: 'wasm', threads: 2 }, 'miner started'),
  (log) =>
    log.info({ a: 1.5, b: -0, c: Number.NaN, d: Number.POSITIVE_INFINITY, e: true, f: null }),
  (log) =>
    log.info({ list: [1, 'two', { three: 3 }], nested: { deep: { deeper: [null] } } }, 'objects'),
  (log) => log.info({ when: new Date(Date.UTC(2026, 11, 6)), big: 12345678901234567890n }, 'dates'),
  (log) => log.info({ gone: undefined, fn: () => 1, sym: Symbol('s'), kept: 'yes' }, 'skipped'),
  (log) => log.info({ text: 'with "quotes" and\nnewline\tand tab', empty: '' }, 'strings'),
  (log) => log.info('line one\nline two\n  indented'),
  (log) => log.info({ loop: circular }, 'circular'),
  (log) => log.info('formatted %s and %d and %j', 'text', 42, { k: 'v' }),
  (log) => log.error(plain),
  (log) => log.error({ err: coded }, 'miner stopped on an error'),
  (log) => log.error({ err: caused }, 'with cause'),
  (log) => log.error({ err: 'just a string' }, 'not an error'),
  (log) => log.error({ err: { stack: 'made\nup' } }, 'stack-like object'),
  (log) => log.warn({ msg: 'from the object' }),
  (log) => log.warn({ msg: 'shadowed' }, 'the message'),
  (log) => log.info({ level: 'mine', time: 5, pid: 1, hostname: 'h' }, 'reserved keys'),
  (log) => log.info({ x: 1 }),
  (log) => log.info(undefined as unknown as string),
  (log) => log.child({ part: 'p2p' }).info({ peer: 'x' }, 'from a child'),
  (log) => log.child({ a: 1 }).child({ a: 2 }).info({ a: 3 }, 'bindings overridden'),
];

describe('the pretty log format', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(Date.UTC(2026, 11, 6, 12, 0, 1, 500)));
  });
  afterEach(() => vi.useRealTimers());

  it('writes the same text as pino’s JSON line parsed back, event for event', () => {
    for (const [i, event] of EVENTS.entries()) {
      const before = collecting();
      const now = collecting();
      event(prettyLoggerBefore('trace', before.out));
      event(createLogger('pretty', 'trace', now.out));
      expect(now.text(), `event ${i}`).toBe(before.text());
    }
  });

  it('writes what a person reads: time, level, message, fields, a stack under its line', () => {
    const { out, text } = collecting();
    const log = createLogger('pretty', 'info', out);
    log.info({ hash: 'ab', txs: 3 }, 'block 5 connected');
    log.debug('not at info');
    log.error({ err: new Error('boom') }, 'failed');
    const lines = text().split('\n');
    expect(lines[0]).toBe('12:00:01 INFO  block 5 connected  hash=ab txs=3');
    expect(lines[1]).toBe('12:00:01 ERROR failed');
    expect(lines[2]).toBe('Error: boom');
    expect(lines[3]).toMatch(/^ {4}at /);
  });

  it('keeps pino’s own lines for the json format', () => {
    const { out, text } = collecting();
    createLogger('json', 'info', out).info({ hash: 'ab' }, 'block 5 connected');
    expect(JSON.parse(text())).toMatchObject({ level: 30, hash: 'ab', msg: 'block 5 connected' });
  });
});
