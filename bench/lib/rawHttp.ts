/**
 * A lean HTTP/1.1 client for load generation: one keep-alive TCP connection, one request in
 * flight, requests pre-encoded to bytes, answers read by status line and Content-Length. It
 * spends a fraction of what node:http's client does per request, and the load generator shares
 * the cores with the node it measures. Answers must carry Content-Length (fastify's JSON does).
 */
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  readonly status: number;
  readonly body: string;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** The bytes of a JSON POST to `path` on `host` (host:port). */
export function encodePost(host: string, path: string, json: string): Buffer {
  const body = Buffer.from(json);
  const head =
    `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

export class RawHttpConnection {
  private readonly socket: Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting:
    | { resolve: (answer: RawAnswer) => void; reject: (error: Error) => void }
    | undefined;
  private failure: Error | undefined;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.tryAnswer();
    });
    const fail = (error: Error) => {
      this.failure = error;
      this.waiting?.reject(error);
      this.waiting = undefined;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('the connection closed')));
  }

  static open(host: string, port: number): Promise<RawHttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port }, () => resolve(new RawHttpConnection(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends one pre-encoded request and reads its answer. */
  request(bytes: Buffer): Promise<RawAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiting) return Promise.reject(new Error('one request at a time'));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private tryAnswer(): void {
    const headerEnd = this.buffer.indexOf(HEADER_END);
    if (headerEnd === -1 || !this.waiting) return;
    const head = this.buffer.toString('latin1', 0, headerEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) {
      this.waiting.reject(new Error(`an answer without Content-Length: ${head.slice(0, 200)}`));
      this.waiting = undefined;
      return;
    }
    const end = headerEnd + HEADER_END.length + Number(length[1]);
    if (this.buffer.length < end) return;
    const body = this.buffer.toString('utf8', headerEnd + HEADER_END.length, end);
    this.buffer = this.buffer.subarray(end);
    const { resolve } = this.waiting;
    this.waiting = undefined;
    resolve({ status, body });
  }
}
