/**
 * The Lab page's controls (`POST /lab/api/control`): each request checked against what it may
 * say and the lab it would steer (a clear 4xx with a stable code from src/core/errors.ts), then
 * applied to the real nodes through the lab controller.
 */
import { ClientError } from '../api/client.js';
import { httpStatus } from '../api/httpStatus.js';
import { MAX_LAB_DELAY_MS, MAX_LAB_HASH_RATE } from '../api/labContract.js';
import type { ErrorCode } from '../core/errors.js';
import type { Lab } from './lab.js';

/** The most nodes a lab runs (each is a whole node process on a shared machine). */
export const MAX_LAB_NODES = 8;

export type Control =
  | { action: 'hash_rate'; node: string; rate: number | null }
  | { action: 'mining'; node: string; on: boolean }
  | { action: 'cut' | 'restore'; a: string; b: string }
  | { action: 'delay'; a: string; b: string; ms: number }
  | { action: 'partition'; left: string[]; right: string[] }
  | { action: 'heal' }
  | { action: 'stop' | 'pause' | 'resume' | 'restart'; node: string }
  | { action: 'withhold'; node: string; on: boolean }
  | { action: 'release'; node: string; count?: number }
  | { action: 'add_node'; name: string };

/** A refusal: the code's status goes with it. */
export class LabRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = httpStatus[code as ErrorCode] ?? 500,
  ) {
    super(message);
  }
}

const bad = (message: string) => new LabRequestError('API_BAD_REQUEST', message);
const NAME = /^[a-z][a-z0-9-]{0,15}$/;

/** What `body` asks of `lab`, or the reason it cannot be done (thrown). */
export function parseControl(body: Record<string, unknown>, lab: Lab): Control {
  const action = body.action;
  const node = (field: string, states?: readonly string[], name = body[field]): string => {
    if (typeof name !== 'string') throw bad(`${field} is the name of a lab node`);
    const found = lab.nodes.get(name);
    if (!found)
      throw new LabRequestError(
        'LAB_NO_SUCH_NODE',
        `the lab has no node "${name}" (it has ${lab.names.join(', ')})`,
      );
    if (states && !states.includes(found.state))
      throw new LabRequestError(
        'LAB_NODE_NOT_RUNNING',
        `${name} is ${found.state}: it must be ${states.join(' or ')}`,
      );
    return name;
  };
  const flag = (field: string): boolean => {
    if (typeof body[field] !== 'boolean') throw bad(`${field} is true or false`);
    return body[field] as boolean;
  };
  const whole = (field: string, min: number, max: number): number => {
    const value = body[field];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      throw bad(`${field} is a whole number from ${min} to ${max}`);
    return value;
  };
  const link = (): { a: string; b: string } => {
    const a = node('a', ['running']);
    const b = node('b', ['running']);
    if (a === b) throw bad('a link joins two different nodes (a and b)');
    return { a, b };
  };
  const group = (field: string): string[] => {
    const names = body[field];
    if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string'))
      throw bad(`${field} lists node names (at least one)`);
    return names.map((name) => node(field, ['running'], name));
  };
  switch (action) {
    case 'hash_rate':
      return {
        action,
        node: node('node', ['running']),
        rate: body.rate === null ? null : whole('rate', 1, MAX_LAB_HASH_RATE),
      };
    case 'mining':
    case 'withhold':
      return { action, node: node('node', ['running']), on: flag('on') };
    case 'release':
      return {
        action,
        node: node('node', ['running']),
        ...(body.count === undefined ? {} : { count: whole('count', 1, 1_000) }),
      };
    case 'cut':
    case 'restore':
      return { action, ...link() };
    case 'delay':
      return { action, ...link(), ms: whole('ms', 0, MAX_LAB_DELAY_MS) };
    case 'partition': {
      const left = group('left');
      const right = group('right');
      if (left.some((n) => right.includes(n))) throw bad('a node is on one side only');
      return { action, left, right };
    }
    case 'heal':
      return { action };
    case 'pause':
      return { action, node: node('node', ['running']) };
    case 'resume':
      return { action, node: node('node', ['paused']) };
    case 'stop':
    case 'restart':
      return { action, node: node('node') };
    case 'add_node': {
      if (lab.nodes.size >= MAX_LAB_NODES)
        throw new LabRequestError('LAB_FULL', `the lab already runs ${MAX_LAB_NODES} nodes`);
      const name = body.name ?? nextName(lab);
      if (typeof name !== 'string' || !NAME.test(name))
        throw bad('name is lower-case letters, digits and "-", at most 16, starting with a letter');
      if (lab.nodes.has(name)) throw bad(`the lab already has a node "${name}"`);
      return { action, name };
    }
    default:
      throw bad(
        `no lab action ${JSON.stringify(action)}: hash_rate, mining, cut, restore, delay, partition, heal, stop, pause, resume, restart, withhold, release, add_node`,
      );
  }
}

/** The first nodeN the lab does not have. */
function nextName(lab: Lab): string {
  for (let i = lab.nodes.size; ; i++) if (!lab.nodes.has(`node${i}`)) return `node${i}`;
}

/**
 * Applies a checked control; a node's refusal keeps its code and status. `share` is the hash
 * rate each node of a fresh lab starts with, the one a node added gets.
 */
export async function applyControl(lab: Lab, control: Control, share: number): Promise<void> {
  try {
    await apply(lab, control, share);
  } catch (error) {
    if (error instanceof ClientError && error.status >= 400 && error.status < 500)
      throw new LabRequestError(error.code, error.message, error.status);
    throw error;
  }
}

async function apply(lab: Lab, c: Control, share: number): Promise<void> {
  switch (c.action) {
    case 'hash_rate':
      return lab.setHashRate(c.node, c.rate);
    case 'mining':
      return lab.setMining(c.node, c.on);
    case 'cut':
    case 'restore':
      return lab.setLink(c.a, c.b, { cut: c.action === 'cut' });
    case 'delay':
      return lab.setLink(c.a, c.b, { delay_ms: c.ms });
    case 'partition':
      return lab.partition(c.left, c.right);
    case 'heal':
      return lab.heal();
    case 'stop':
      return lab.stopNode(c.node);
    case 'pause':
      return lab.pauseNode(c.node);
    case 'resume':
      return lab.resumeNode(c.node);
    case 'restart':
      return lab.restartNode(c.node);
    case 'withhold':
      return void (await lab.withhold(c.node, c.on));
    case 'release':
      return void (await lab.release(c.node, c.count));
    case 'add_node':
      await lab.addNode(c.name);
      // A newcomer with the same share as a node of a fresh lab, not mining until asked.
      return lab.setHashRate(c.name, share, false);
  }
}
