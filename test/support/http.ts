/**
 * Helpers for tests that talk to real nodes over HTTP: start nodes on 127.0.0.1 port 0 (closed
 * after each test), call routes with fetch, check the one error shape, and read the live event
 * stream. Nothing here sleeps: everything is awaited.
 */
import { afterEach, expect } from 'vitest';
import { httpStatus } from '../../src/api/httpStatus.js';
import { type ErrorCode, encodeAddress, type NetworkParams } from '../../src/core/index.js';
import { type BlockyardNode, createNode, type NodeOptions } from '../../src/node/createNode.js';
import { easyParams } from './chainBuilder.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field in the tests
export type Body = any;

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Body;
}

const started: BlockyardNode[] = [];

/**
 * Registers an afterEach that closes every node the test started. Call it once at the top of a
 * test file that uses startNode.
 */
export function closeNodesAfterEach(): void {
  afterEach(async () => {
    await Promise.all(started.splice(0).map((node) => node.close()));
  });
}

/** A node on 127.0.0.1, a free port, memory storage and easy proof of work unless told otherwise. */
export async function startNode(options: Partial<NodeOptions> = {}): Promise<BlockyardNode> {
  const node = await createNode({ params: easyParams, host: '127.0.0.1', port: 0, ...options });
  started.push(node);
  return node;
}

/** Closes a node started with startNode before the test ends (it is then not closed again). */
export async function stopNode(node: BlockyardNode): Promise<void> {
  const at = started.indexOf(node);
  if (at >= 0) started.splice(at, 1);
  await node.close();
}

/** Any request; the body is parsed as JSON when the answer says it is JSON, else kept as text. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json') ?? false;
  return {
    status: response.status,
    headers: response.headers,
    body: isJson ? JSON.parse(text) : text,
  };
}

export const get = (url: string, headers: Record<string, string> = {}): Promise<Answer> =>
  call(url, { headers });

export const postJson = (
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> =>
  call(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** A form post as an HTML form (or `curl -d`) sends it. */
export const postForm = (
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Answer> =>
  call(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

/** Asserts the one error shape, `{error: {code, message}}`, with the code's status from the table. */
export function expectError(answer: Answer, status: number, code: ErrorCode): void {
  expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({ status, code });
  expect(Object.keys(answer.body)).toEqual(['error']);
  expect(Object.keys(answer.body.error).sort()).toEqual(['code', 'message']);
  expect(typeof answer.body.error.message).toBe('string');
  expect(httpStatus[code]).toBe(status);
}

export const addressOf = (key: Uint8Array, params: NetworkParams = easyParams): string =>
  encodeAddress(key, params.addressPrefix);

export interface ServerEvent {
  readonly event: string;
  readonly data: Body;
}

/**
 * Reads a Server-Sent Events stream frame by frame. `next(type)` resolves with the next event of
 * that type (earlier events of other types are skipped); `close()` ends the request.
 */
export function readEvents(response: Response): {
  next(type?: string): Promise<ServerEvent>;
  close(): Promise<void>;
} {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const readFrame = async (): Promise<string> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        return frame;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the event stream ended');
      buffer += value;
    }
  };
  return {
    async next(type) {
      for (;;) {
        const lines = (await readFrame()).split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (event === undefined || data === undefined) continue; // retry:, keep-alive comments
        if (type === undefined || event === type) return { event, data: JSON.parse(data) };
      }
    },
    close: () => reader.cancel(),
  };
}

/** GET /mine on `node`: one block now, with what its mempool holds. */
export async function mine(node: BlockyardNode): Promise<Body> {
  const answer = await get(`${node.url}/mine`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

/**
 * `amount` coins (and `fee`, default the node's) from the node's own wallet, its mining rewards,
 * to `to` (a key or an address), through POST /transactions/new: asserts the 201 and gives the
 * transfer's id.
 */
export async function sendFromNode(
  node: BlockyardNode,
  to: Uint8Array | string,
  amount: number,
  fee?: number,
): Promise<string> {
  const sent = await postJson(`${node.url}/transactions/new`, {
    sender: node.nodeKey.address,
    recipient: typeof to === 'string' ? to : addressOf(to, node.chain.params),
    amount,
    ...(fee === undefined ? {} : { fee }),
  });
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  return sent.body.id as string;
}

/**
 * The preamble of tests that spend from a wallet: a node that mined a block, paid `coins` of it
 * to `to` and mined that payment, so `to` can sign transfers (nonce 0) at once.
 */
export async function startFundedNode(
  to: Uint8Array | string,
  coins: number,
  options: Partial<NodeOptions> = {},
): Promise<BlockyardNode> {
  const node = await startNode(options);
  await mine(node);
  await sendFromNode(node, to, coins);
  await mine(node);
  return node;
}
