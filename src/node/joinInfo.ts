/**
 * How others join this node: the URLs it can be reached at from other machines (every
 * non-loopback IPv4 address of this machine when it listens on all of them) and the one line a
 * student types. Printed by `blockyard node` and shown on the Network page (GET /api/join).
 */
import { type NetworkInterfaceInfo, networkInterfaces } from 'node:os';
import type { JoinInfo } from '../api/deps.js';

const ANY = new Set(['0.0.0.0', '::', '']);
const LOOPBACK = /^(127\.|::1$|localhost$)/;

export function joinInfo(
  host: string,
  port: number,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): JoinInfo {
  const addresses = ANY.has(host)
    ? Object.values(interfaces)
        .flatMap((list) => list ?? [])
        .filter((i) => i.family === 'IPv4' && !i.internal)
        .map((i) => i.address)
    : LOOPBACK.test(host)
      ? []
      : [host];
  const urls = [...new Set(addresses)].map(
    (a) => `http://${a.includes(':') ? `[${a}]` : a}:${port}`,
  );
  const problem =
    urls.length > 0
      ? undefined
      : LOOPBACK.test(host)
        ? `this node listens on ${host} only: start it with --host 0.0.0.0 so other machines can join`
        : 'this machine has no network address other machines can reach';
  return {
    host,
    port,
    urls,
    command: urls[0] && `node bin/blockyard.js node --host 0.0.0.0 --peers ${urls[0]}`,
    problem,
  };
}
