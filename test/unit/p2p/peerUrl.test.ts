/**
 * How a peer's URL is written (src/p2p/peerClient.ts): what an operator types is normalized to
 * `http(s)://host:port`, and anything else (a path, a query, credentials, another scheme) is
 * refused, so one peer has one URL in the book and a URL cannot carry anything but an address.
 */
import { describe, expect, it } from 'vitest';
import { normalizePeerUrl, peerUrlOf } from '../../../src/p2p/peerClient.js';

describe('normalizePeerUrl', () => {
  it.each([
    ['127.0.0.1:5001', 'http://127.0.0.1:5001'],
    ['  127.0.0.1:5001  ', 'http://127.0.0.1:5001'],
    ['http://127.0.0.1:5001/', 'http://127.0.0.1:5001'],
    ['HTTP://LOCALHOST:5001', 'http://localhost:5001'],
    ['https://node.example:443', 'https://node.example'],
    ['http://node.example:80', 'http://node.example'],
    ['[::1]:5001', 'http://[::1]:5001'],
    ['node.example', 'http://node.example'],
  ])('writes %j as %j', (text, url) => {
    expect(normalizePeerUrl(text)).toBe(url);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['ftp://127.0.0.1:21', 'another scheme'],
    ['http://user:pw@127.0.0.1:5001', 'credentials'],
    ['http://127.0.0.1:5001/api', 'a path'],
    ['http://127.0.0.1:5001/?x=1', 'a query'],
    ['http://127.0.0.1:5001/#top', 'a fragment'],
    ['http://127.0.0.1:99999', 'a port out of range'],
    ['http://', 'no host'],
    [`http://${'a'.repeat(200)}.example`, 'over 200 characters'],
  ])('refuses %j (%s)', (text) => {
    expect(normalizePeerUrl(text)).toBeUndefined();
  });
});

describe('peerUrlOf', () => {
  it('makes the URL from the address a request came from and the port it names', () => {
    expect(peerUrlOf('127.0.0.1', 5001)).toBe('http://127.0.0.1:5001');
    expect(peerUrlOf('::ffff:10.0.0.7', 5001)).toBe('http://10.0.0.7:5001');
    expect(peerUrlOf('fe80::1', 5001)).toBe('http://[fe80::1]:5001');
  });

  it('has no URL without an address', () => {
    expect(peerUrlOf(undefined, 5001)).toBeUndefined();
  });
});
