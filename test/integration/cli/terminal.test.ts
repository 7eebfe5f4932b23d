/**
 * `blockyard wallet` in a real terminal (a pseudo-terminal made by util-linux `script`), typed at
 * as a person would: passwords at prompts with the echo off, asked again when wrong or weak,
 * and `send --wait` redrawing one progress line in place while the node mines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInlineNonceSearch } from '../../../src/miner/inlineNonceSearch.js';
import type { BlockyardNode } from '../../../src/node/createNode.js';
import { startNode } from '../../support/http.js';
import { cliHome, hasScript, PASSWORD, runCli, runInTerminal } from './runCli.js';

/** ESC [ K: erase to the end of the line. */
const ERASE_LINE = '\x1b\\[K';

let node: BlockyardNode;
let home: ReturnType<typeof cliHome>;
/** The environment of a person at a terminal: no BLOCKYARD_PASSWORD. */
let person: Record<string, string | undefined>;

beforeAll(async () => {
  node = await startNode({ search: createInlineNonceSearch() });
  home = cliHome(node.url);
  person = { ...home.env, BLOCKYARD_PASSWORD: undefined };
});

afterAll(async () => {
  await node?.close();
  home?.remove();
});

describe.skipIf(!hasScript)('blockyard wallet in a terminal', { timeout: 180_000 }, () => {
  it('new: asks for a password twice with the echo off, and again when it is too short', async () => {
    const run = await runInTerminal(['wallet', 'new', '--wallet', 'typed'], {
      env: person,
      answers: ['short', PASSWORD, PASSWORD],
    });
    expect(run.code, run.screen).toBe(0);
    expect(run.screen).toMatch(/use a password of at least 8 characters/);
    expect(run.screen.match(/New password for wallet "typed"/g)).toHaveLength(2);
    expect(run.screen).toContain('Type it again: ');
    expect(run.screen).toMatch(/Made wallet "typed"/);
    // Nothing typed was shown.
    expect(run.screen).not.toContain(PASSWORD);
    expect(run.screen).not.toContain('short\r');
  });

  it('a wrong password at the prompt is asked again; the right one opens the wallet', async () => {
    const run = await runInTerminal(['wallet', 'address', '--wallet', 'typed'], {
      env: person,
      answers: ['not the password', PASSWORD],
    });
    expect(run.code, run.screen).toBe(0);
    expect(run.screen).toContain('Wrong password; try again.');
    expect(run.screen).toMatch(/^tut1[a-z0-9]{58}\r$/m);
    expect(run.screen).not.toContain('not the password');

    const three = await runInTerminal(['wallet', 'address', '--wallet', 'typed'], {
      env: person,
      answers: ['wrong 1!', 'wrong 2!', 'wrong 3!'],
    });
    expect(three.code, three.screen).toBe(4);
    expect(three.screen).toMatch(/\[WALLET_BAD_PASSWORD\]/);
  });

  it('send --wait 2 redraws one progress line while the node mines', async () => {
    const from = await runCli(['wallet', 'address', '--wallet', 'typed'], { env: home.env });
    const to = await runCli(['wallet', 'address', '--wallet', 'typed', '--index', '1'], {
      env: home.env,
    });
    await node.miner.mineOnce();
    await fetch(`${node.url}/transactions/new`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sender: node.nodeKey.address,
        recipient: from.stdout.trim(),
        amount: 3,
      }),
    });
    await node.miner.mineOnce();

    node.miner.start();
    try {
      const run = await runInTerminal(
        [
          'wallet',
          'send',
          '--wallet',
          'typed',
          '--to',
          to.stdout.trim(),
          '--amount',
          '1',
          '--wait',
          '2',
        ],
        { env: person, answers: [PASSWORD] },
      );
      expect(run.code, run.screen).toBe(0);
      // Redrawn in place: carriage return, erase the line, the new state.
      expect(run.screen).toMatch(
        new RegExp(`\r${ERASE_LINE} {2}waiting for 2 confirmations: [^\r\n]+ · \\d+ s`),
      );
      expect(run.screen).toMatch(/Confirmed: \d+ confirmations, in block \d+/);
      expect(run.screen).not.toContain(PASSWORD);
    } finally {
      await node.miner.stop();
    }
    const balance = await runCli(['wallet', 'balance', '--wallet', 'typed', '--json'], {
      env: home.env,
    });
    expect(balance.json.accounts.map((a: { balance: string }) => a.balance)).toEqual([
      '1.9999',
      '1',
    ]);
  });
});
