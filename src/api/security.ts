/**
 * Who may run operator actions (mine, spend the node's coins, manage peers and the miner):
 * anyone presenting the API token, and requests from this machine that no other web page sent.
 *
 * SECURITY: loopback alone is not enough. A page on any site can make the user's browser send a
 * GET or a form POST to http://127.0.0.1:5000 (cross-site request forgery); browsers mark such
 * requests with an Origin header or Sec-Fetch-Site: cross-site, and those need the token.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * Whether the Host header names this machine (localhost, 127.x.x.x, [::1]), or is absent.
 * SECURITY: a page whose DNS name was rebound to 127.0.0.1 (DNS rebinding) reaches the node from
 * loopback, and its requests are same-origin to it; only the Host header still carries its name.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  return host === undefined || /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i.test(host);
}

export function isOperator(request: FastifyRequest, token: string): boolean {
  // A wrong token is refused even from loopback: the caller should learn its token is stale.
  const authorization = request.headers.authorization;
  if (authorization !== undefined) return tokenMatches(authorization, token);
  if (!isLoopback(request.socket.remoteAddress)) return false;
  if (!isLoopbackHost(request.headers.host)) return false;
  const origin = request.headers.origin;
  if (origin !== undefined && !sameOrigin(origin, request.headers.host)) return false;
  return request.headers['sec-fetch-site'] !== 'cross-site';
}
