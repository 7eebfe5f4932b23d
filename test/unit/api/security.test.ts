/**
 * Who counts as "this machine" for operator routes (src/api/security.ts): the address a request
 * came from, and the Host it names (a DNS-rebound page reaches the node from loopback, but its
 * Host still carries its own name).
 */
import { describe, expect, it } from 'vitest';
import { isLoopback, isLoopbackHost } from '../../../src/api/security.js';

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'])('%s is loopback', (address) => {
    expect(isLoopback(address)).toBe(true);
  });

  it.each([undefined, '', '10.0.0.1', '::ffff:10.0.0.1', '::2', '1127.0.0.1', '128.0.0.1'])(
    '%j is not',
    (address) => {
      expect(isLoopback(address)).toBe(false);
    },
  );
});

describe('isLoopbackHost', () => {
  it.each([undefined, 'localhost', 'LOCALHOST:5000', '127.0.0.1', '127.0.0.1:5000', '[::1]:5000'])(
    '%j names this machine',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );

  it.each(['evil.example', 'localhost.evil.example', '127.0.0.1.evil.example', '10.0.0.1:5000'])(
    '%j does not',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});
