/**
 * The floor of HTTP on a plain TCP socket in Node, for bench/lib/intakeNode.ts's 'net' mode: what
 * its 'http' mode does (the body read whole and parsed as JSON, 201 and the same answer), with no
 * node:http: one `data` listener a connection reads each request by its head's Content-Length
 * and writes the answer in one call. Enough HTTP/1.1 for the bench's keep-alive clients
 * (bench/lib/rawHttp.ts), not a server: no chunked bodies, no pipelining checks, no limits.
 * It sizes what a request costs below node:http (its parser, IncomingMessage, ServerResponse and
 * their streams): the room a leaner HTTP path for POST /api/tx would have.
 */
import { type AddressInfo, createServer, type Socket } from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');
const LENGTH = /\r\ncontent-length: *(\d+)/i;

/** A server on 127.0.0.1 that answers every POST /api/tx 201 with `answer`, anything else 200 {}. */
export async function startRawServer(answer: string): Promise<{
  url: string;
  mempool: { size: number };
  close(): Promise<void>;
}> {
  let size = 0;
  const reply = (status: string, body: string) =>
    Buffer.from(
      `HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: keep-alive\r\n\r\n${body}`,
    );
  const created = reply('201 Created', answer);
  const other = reply('200 OK', '{}');
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    let buffer: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf(HEADER_END);
        if (end === -1) return;
        const head = buffer.toString('latin1', 0, end);
        const length = Number(LENGTH.exec(head)?.[1] ?? 0);
        const total = end + HEADER_END.length + length;
        if (buffer.length < total) return;
        const body = buffer.toString('utf8', end + HEADER_END.length, total);
        buffer = buffer.subarray(total);
        const ok = head.startsWith('POST /api/tx ');
        if (ok && JSON.parse(body) !== undefined) size++;
        socket.write(ok ? created : other);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    mempool: {
      get size() {
        return size;
      },
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
