/**
 * JSON written by hand goes out as given: one Buffer or a stream through fastify, several parts
 * at once with their length, the headers set before the handler kept.
 */
import { Readable } from 'node:stream';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { sendJsonStream } from '../../../src/api/routeOptions.js';

const parts = ['{"chain":[', '{"a":1}', ',{"b":2}', '],"length":2}'];
const whole = parts.join('');

async function app(body: () => NodeJS.ReadableStream | readonly Buffer[]) {
  const server = Fastify();
  server.addHook('onRequest', async (_request, reply) => {
    reply.header('access-control-allow-origin', '*');
  });
  server.get('/chain', async (_request, reply) => sendJsonStream(reply, body()));
  await server.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => server.close());
  return server;
}

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('sendJsonStream', () => {
  it('writes several parts at once, with their length and the headers set before', async () => {
    const server = await app(() => parts.map((part) => Buffer.from(part)));
    const injected = await server.inject({ method: 'GET', url: '/chain' });
    expect(injected.statusCode).toBe(200);
    expect(injected.body).toBe(whole);
    expect(injected.headers['content-length']).toBe(String(Buffer.byteLength(whole)));
    expect(injected.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(injected.headers['access-control-allow-origin']).toBe('*');
    expect(injected.headers['transfer-encoding']).toBeUndefined();

    const { port } = server.server.address() as { port: number };
    const fetched = await fetch(`http://127.0.0.1:${port}/chain`);
    expect(fetched.headers.get('content-length')).toBe(String(Buffer.byteLength(whole)));
    expect(await fetched.json()).toEqual(JSON.parse(whole));
    const head = await fetch(`http://127.0.0.1:${port}/chain`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    // The connection is still usable after a HEAD whose body was not written.
    expect(await (await fetch(`http://127.0.0.1:${port}/chain`)).text()).toBe(whole);
  });

  it('sends one part, or a stream, through fastify', async () => {
    const one = await app(() => [Buffer.from(whole)]);
    const single = await one.inject({ method: 'GET', url: '/chain' });
    expect(single.body).toBe(whole);
    expect(single.headers['content-length']).toBe(String(whole.length));
    const streamed = await app(() => Readable.from(parts.map((part) => Buffer.from(part))));
    const answer = await streamed.inject({ method: 'GET', url: '/chain' });
    expect(answer.body).toBe(whole);
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['access-control-allow-origin']).toBe('*');
  });
});
