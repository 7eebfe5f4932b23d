/**
 * The floor of bench/reads.ts: a bare node:http server answering every request with `body`,
 * what any server must at least spend to send those bytes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function floorServer(body: Buffer) {
  const server = createServer((_request, response) => {
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': body.length,
    });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
}
