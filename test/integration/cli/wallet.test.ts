/**
 * `blockyard wallet` for real: the command, in its own process, against a real node on
 * 127.0.0.1. Two wallets are made, the first is funded by the node, and sends to the second
 * with `--wait 2` while the node mines; then both balances are checked, and the failures a
 * person meets (a wrong password, a mistyped address, too little money, no node, a nonce
 * conflict, a wait that runs out, a transfer that is dropped) each end with their code.
 *
 * The tests of this file run in order and share the node and the wallets, as a session does.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInlineNonceSearch } from '../../../src/miner/inlineNonceSearch.js';
import type { BlockyardNode } from '../../../src/node/createNode.js';
import { openKeystore, parseKeystore } from '../../../src/wallet/index.js';
import { mine, sendFromNode, startNode } from '../../support/http.js';
import { cliHome, PASSWORD, runCli, startCli } from './runCli.js';

let node: BlockyardNode;
let home: ReturnType<typeof cliHome>;
const wallets = { alice: { address: '', mnemonic: '' }, bob: { address: '', mnemonic: '' } };

/** Polls `test` every 100 ms until it holds; fails after `ms`. */
async function waitFor(what: string, ms: number, test: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const post = (path: string, body: unknown = {}) =>
  fetch(`${node.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const balanceOf = async (address: string) =>
  ((await (await fetch(`${node.url}/api/address/${address}`)).json()) as { balance: string })
    .balance;

/** `blockyard wallet …` with the test's home and node, the password from the environment. */
const wallet = (args: readonly string[], env: Record<string, string | undefined> = {}) =>
  runCli(['wallet', ...args], { env: { ...home.env, ...env } });

beforeAll(async () => {
  node = await startNode({ search: createInlineNonceSearch() });
  home = cliHome(node.url);
});

afterAll(async () => {
  await node?.close();
  home?.remove();
});

// Each run of the command is a Node process with tsx and one or two scrypt keystore openings
// (≈ 0.5 s each): seconds apiece on a busy machine.
describe('blockyard wallet, in a session against a real node', { timeout: 180_000 }, () => {
  it('new: saves an encrypted keystore (0600, in a 0700 folder) and shows the words once', async () => {
    const alice = await wallet(['new', '--wallet', 'alice', '--json']);
    expect(alice.code, alice.stderr).toBe(0);
    expect(alice.json).toMatchObject({ wallet: 'alice', network: 'tutorial' });
    expect(alice.json.mnemonic.split(' ')).toHaveLength(12);
    expect(alice.json.address).toMatch(/^tut1[a-z0-9]{58}$/);
    wallets.alice = alice.json;

    const file = join(home.walletDir, 'alice.json');
    expect(alice.json.file).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(home.walletDir).mode & 0o777).toBe(0o700);
    const keystore = parseKeystore(JSON.parse(readFileSync(file, 'utf8')));
    expect(keystore.ok).toBe(true);
    if (!keystore.ok) return;
    const opened = await openKeystore(keystore.value, PASSWORD);
    expect(opened).toEqual({ ok: true, value: alice.json.mnemonic });
    // The words are in the file only encrypted.
    expect(readFileSync(file, 'utf8')).not.toContain(alice.json.mnemonic.split(' ')[0]!);

    // For people: the words, a warning, and the address.
    const bob = await wallet(['new', '--wallet', 'bob']);
    expect(bob.code, bob.stderr).toBe(0);
    expect(bob.stdout).toMatch(/shown this once/);
    expect(bob.stdout).toMatch(/^ +1 [a-z]+ +2 [a-z]+ +3 [a-z]+ +4 [a-z]+$/m);
    expect(bob.stdout).toMatch(/^ +9 [a-z]+ +10 [a-z]+ +11 [a-z]+ +12 [a-z]+$/m);
    const address = /^Address 0 on the tutorial network: (tut1\S+)$/m.exec(bob.stdout)?.[1];
    expect(address).toBeDefined();
    wallets.bob.address = address!;

    const list = await wallet(['list', '--json']);
    expect(list.json.wallets.map((w: { name: string }) => w.name)).toEqual(['alice', 'bob']);
    // Only `new` (and export --mnemonic) ever show the words.
    const address0 = await wallet(['address', '--wallet', 'alice']);
    expect(address0.stdout).toBe(`${wallets.alice.address}\n`);
  });

  it('send --wait 2: signs, submits and follows the transfer while the node mines; both balances are right', async () => {
    // The node mines its first coins, then pays alice 10 (the tutorial's route: the node signs).
    await mine(node);
    await sendFromNode(node, wallets.alice.address, 10);
    node.miner.start();
    try {
      await waitFor('alice to be funded', 30_000, async () => {
        return (await balanceOf(wallets.alice.address)) === '1000000000';
      });
      const before = await wallet(['balance', '--wallet', 'alice', '--json']);
      expect(before.json.total).toEqual({
        balance: '10',
        pending_in: '0',
        pending_out: '0',
        available: '10',
        spendable: '10',
        immature: '0',
      });

      const sent = await wallet([
        'send',
        '--wallet',
        'alice',
        '--to',
        wallets.bob.address,
        '--amount',
        '2.5',
        '--wait',
        '2',
      ]);
      expect(sent.code, sent.stderr).toBe(0);
      // What was signed, then that it was sent, then the confirmations it waited for.
      expect(sent.stdout).toMatch(/^ {2}amount +2\.5$/m);
      expect(sent.stdout).toMatch(/^ {2}fee +0\.0001$/m);
      expect(sent.stdout).toMatch(/^ {2}total +2\.5001$/m);
      expect(sent.stdout).toMatch(/^ {2}nonce +0$/m);
      expect(sent.stdout).toMatch(/^Sent to http:\/\/127\.0\.0\.1:\d+: transaction [0-9a-f]{64}$/m);
      expect(sent.stdout).toMatch(/^Confirmed: \d+ confirmations, in block \d+ \([0-9a-f]{64}\)$/m);
      // Not a terminal: the progress comes as plain lines on stderr, one per change.
      expect(sent.stderr).toMatch(/^ {2}waiting for 2 confirmations: /m);
      expect(sent.stderr).not.toContain('\r');
      const id = /transaction ([0-9a-f]{64})/.exec(sent.stdout)![1]!;
      const tx = (await (await fetch(`${node.url}/api/tx/${id}`)).json()) as Record<string, number>;
      expect(tx.status).toBe('confirmed');
      expect(tx.confirmations).toBeGreaterThanOrEqual(2);
    } finally {
      await node.miner.stop();
    }

    const alice = await wallet(['balance', '--wallet', 'alice', '--json']);
    const bob = await wallet(['balance', '--wallet', 'bob', '--json']);
    expect(alice.json.accounts).toEqual([
      expect.objectContaining({ balance: '7.4999', spendable: '7.4999', pending: 0 }),
    ]);
    expect(bob.json.accounts).toEqual([
      expect.objectContaining({ address: wallets.bob.address, balance: '2.5', pending: 0 }),
    ]);
    // Coins on the way in are shown as such (issue 15, point 6: "pending 0" said nothing).
    await sendFromNode(node, wallets.alice.address, 1.5);
    const text = await wallet(['balance', '--wallet', 'alice']);
    expect(text.stdout).toMatch(
      /^ {2}account +address +balance +pending in +pending out +can spend now$/m,
    );
    expect(text.stdout).toMatch(
      new RegExp(`^ {2}0 +${wallets.alice.address} +7\\.4999 +\\+1\\.5 +0 +7\\.4999$`, 'm'),
    );
  });

  it('history: the transfer on both sides, amounts in coins', async () => {
    const alice = await wallet(['history', '--wallet', 'alice', '--json']);
    expect(alice.code, alice.stderr).toBe(0);
    expect(alice.json.pending).toEqual([]);
    expect(alice.json.transactions).toEqual([
      expect.objectContaining({
        direction: 'out',
        to: wallets.bob.address,
        amount: '2.5',
        fee: '0.0001',
      }),
      expect.objectContaining({ direction: 'in', from: node.nodeKey.address, amount: '10' }),
    ]);
    const bob = await wallet(['history', '--wallet', 'bob']);
    expect(bob.stdout).toMatch(new RegExp(`in +\\+2\\.5 +${wallets.alice.address}`));
  });

  it('a wrong password fails cleanly: exit 4, the reason, nothing sent', async () => {
    const pending = node.mempool.size;
    const args = ['send', '--wallet', 'alice', '--to', wallets.bob.address, '--amount', '1'];
    const text = await wallet(args, { BLOCKYARD_PASSWORD: 'not the password' });
    expect(text.code).toBe(4);
    expect(text.stdout).toBe('');
    expect(text.stderr).toMatch(
      /The password does not open this keystore\. \[WALLET_BAD_PASSWORD\]/,
    );
    expect(text.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace: not a bug
    const json = await wallet([...args, '--json'], { BLOCKYARD_PASSWORD: 'not the password' });
    expect(json.code).toBe(4);
    expect(json.json).toEqual({
      error: { code: 'WALLET_BAD_PASSWORD', message: expect.any(String) },
    });
    expect(node.mempool.size).toBe(pending);
  });

  it('a mistyped address fails before the password is asked for: exit 5, nothing sent', async () => {
    const right = wallets.bob.address;
    const last = right.at(-1)!;
    const typo = `${right.slice(0, -1)}${last === 'q' ? 'p' : 'q'}`;
    const pending = node.mempool.size;
    // No password anywhere: had it been asked for, this would fail with CLI_NO_PASSWORD.
    const run = await wallet(['send', '--wallet', 'alice', '--to', typo, '--amount', '1'], {
      BLOCKYARD_PASSWORD: undefined,
    });
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/a character is mistyped\. \[ADDRESS_BAD_CHECKSUM\]/);
    expect(run.stderr).toContain(typo);
    const json = await wallet([
      'send',
      '--wallet',
      'alice',
      '--to',
      typo,
      '--amount',
      '1',
      '--json',
    ]);
    expect(json.json.error.code).toBe('ADDRESS_BAD_CHECKSUM');
    const otherNetwork = await wallet([
      'send',
      '--wallet',
      'alice',
      '--to',
      right.replace(/^tut1/, 'dev1'),
      '--amount',
      '1',
      '--json',
    ]);
    expect(otherNetwork.code).toBe(5);
    expect(otherNetwork.json.error.code).toMatch(/^ADDRESS_/);
    expect(node.mempool.size).toBe(pending);
  });

  it('too little money is refused before signing, with the balance: exit 5', async () => {
    const run = await wallet([
      'send',
      '--wallet',
      'bob',
      '--to',
      wallets.alice.address,
      '--amount',
      '3',
    ]);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/\[TX_INSUFFICIENT_FUNDS\]/);
    expect(run.stderr).toMatch(
      /can spend 2\.5 coins; this transfer needs 3\.0001 \(3 \+ fee 0\.0001\)/,
    );
    expect(run.stdout).toBe('');
  });

  it('a node that does not answer: exit 3', async () => {
    const closed = await startClosedPort();
    const run = await wallet(['balance', '--wallet', 'alice', '--node', closed]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/is it running, and is the URL right\? \[CLIENT_UNREACHABLE\]/);
    const json = await wallet(['balance', '--wallet', 'alice', '--node', closed, '--json']);
    expect(json.json.error.code).toBe('CLIENT_UNREACHABLE');
  });

  it('nonce conflicts: a used nonce and a pending one are refused (exit 5); a higher fee replaces', async () => {
    const to = ['--to', wallets.bob.address];
    const first = await wallet(['send', '--wallet', 'alice', ...to, '--amount', '1', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json).toMatchObject({ status: 'pending', nonce: '1', amount: '1' });

    const conflict = await wallet([
      'send',
      '--wallet',
      'alice',
      ...to,
      '--amount',
      '2',
      '--nonce',
      '1',
      '--json',
    ]);
    expect(conflict.code).toBe(5);
    expect(conflict.json.error.code).toBe('MEMPOOL_NONCE_CONFLICT');
    const used = await wallet([
      'send',
      '--wallet',
      'alice',
      ...to,
      '--amount',
      '1',
      '--nonce',
      '0',
    ]);
    expect(used.code).toBe(5);
    expect(used.stderr).toMatch(/\[TX_NONCE_TOO_LOW\]/);

    // The waiter of the first transfer sees it dropped when a higher fee replaces it.
    const waiter = startCli(
      [
        'wallet',
        'send',
        '--wallet',
        'alice',
        ...to,
        '--amount',
        '0.5',
        '--wait',
        '1',
        '--timeout',
        '60',
      ],
      { env: home.env },
    );
    const id = (await waiter.line(/^Sent to \S+: transaction ([0-9a-f]{64})$/))[1]!;
    const replace = await wallet([
      'send',
      '--wallet',
      'alice',
      ...to,
      '--amount',
      '0.5',
      '--nonce',
      '2',
      '--fee',
      '0.01',
      '--json',
    ]);
    expect(replace.code, replace.stderr).toBe(0);
    expect(replace.json).toMatchObject({ nonce: '2', fee: '0.01' });
    const dropped = await waiter.done;
    expect(dropped.code, dropped.stderr).toBe(6);
    expect(dropped.stderr).toMatch(/\[CLI_TX_DROPPED\]/);
    expect(dropped.stderr).toContain(id);
  });

  it('--wait gives up after --timeout with exit 6, and names the transaction', async () => {
    const run = await wallet([
      'send',
      '--wallet',
      'alice',
      '--to',
      wallets.bob.address,
      '--amount',
      '0.1',
      '--wait',
      '1',
      '--timeout',
      '1',
      '--json',
    ]);
    expect(run.code).toBe(6);
    expect(run.json.error).toMatchObject({
      code: 'CLI_WAIT_TIMEOUT',
      transaction_id: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const tx = await fetch(`${node.url}/api/tx/${run.json.error.transaction_id}`);
    expect(((await tx.json()) as { status: string }).status).toBe('pending');
  });

  it('export and import: the keystore file and the words give the same wallet back', async () => {
    const words = await wallet(['export', '--wallet', 'alice', '--mnemonic']);
    expect(words.code).toBe(0);
    expect(words.stdout).toBe(`${wallets.alice.mnemonic}\n`);
    expect(words.stderr).toMatch(/WARNING: .*anyone who sees them can spend/);

    const printed = await wallet(['export', '--wallet', 'alice']);
    expect(JSON.parse(printed.stdout)).toEqual(
      JSON.parse(readFileSync(join(home.walletDir, 'alice.json'), 'utf8')),
    );
    const out = join(home.home, 'alice-backup.json');
    expect((await wallet(['export', '--wallet', 'alice', '--out', out])).code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const again = await wallet(['export', '--wallet', 'alice', '--out', out, '--json']);
    expect(again.code).toBe(4);
    expect(again.json.error.code).toBe('CLI_FILE');

    const fromFile = await wallet([
      'import',
      '--keystore',
      out,
      '--wallet',
      'alice-copy',
      '--json',
    ]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.json.address).toBe(wallets.alice.address);
    // No --mnemonic and no terminal: the words come from stdin (here empty, then two lines).
    const noWords = await wallet(['import', '--wallet', 'alice-words', '--json']);
    expect(noWords.code).toBe(4);
    expect(noWords.json.error.code).toBe('WALLET_BAD_MNEMONIC');
    const typed = await runCli(['wallet', 'import', '--wallet', 'alice-words', '--json'], {
      env: { ...home.env, BLOCKYARD_PASSWORD: undefined },
      input: `${wallets.alice.mnemonic}\nanother password\n`,
    });
    expect(typed.code, typed.stderr).toBe(0);
    expect(typed.json.address).toBe(wallets.alice.address);
    const opened = await wallet(['address', '--wallet', 'alice-words'], {
      BLOCKYARD_PASSWORD: 'another password',
    });
    expect(opened.stdout).toBe(`${wallets.alice.address}\n`);

    const taken = await wallet(['import', '--wallet', 'bob', '--mnemonic', wallets.alice.mnemonic]);
    expect(taken.code).toBe(4);
    expect(taken.stderr).toMatch(/\[WALLET_EXISTS\]/);
    const wrongWord = wallets.alice.mnemonic.replace(/^\S+/, 'zzzz');
    const bad = await wallet(['import', '--wallet', 'typo', '--mnemonic', wrongWord, '--json']);
    expect(bad.code).toBe(4);
    expect(bad.json.error.code).toBe('WALLET_BAD_MNEMONIC');
  });

  it('address --index N: another account, remembered for balance', async () => {
    const second = await wallet(['address', '--wallet', 'bob', '--index', '1', '--json']);
    expect(second.json).toMatchObject({ index: 1, path: "m/44'/1'/0'/0'/1'" });
    expect(second.json.address).not.toBe(wallets.bob.address);
    const balance = await wallet(['balance', '--wallet', 'bob', '--json']);
    expect(balance.json.accounts.map((a: { address: string }) => a.address)).toEqual([
      wallets.bob.address,
      second.json.address,
    ]);
  });

  it('usage mistakes: exit 2, and JSON with --json', async () => {
    const unknown = await wallet(['send', '--wallet', 'alice', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--bogus'/);
    const json = await wallet(['send', '--bogus', '--json']);
    expect(json.code).toBe(2);
    expect(json.json.error.code).toBe('CLI_USAGE');
    expect((await wallet(['frobnicate'])).code).toBe(2);
    expect((await wallet(['send', '--wallet', 'alice', '--amount', '1'])).stderr).toMatch(/--to/);
    const several = await wallet(['balance']);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/choose one with --wallet NAME/);
    const missing = await wallet(['balance', '--wallet', 'carol', '--json']);
    expect(missing.code).toBe(4);
    expect(missing.json.error.code).toBe('WALLET_NOT_FOUND');
    const help = await wallet(['send', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--wait <n>/);
    expect(help.stdout).toMatch(/^exit codes:/m);
  });

  it('re-sends its own pending transfer to a node that does not know it, and forgets it once confirmed', async () => {
    // Another node on the same chain that never heard of what alice sends next (no peers).
    const other = await startNode({ search: createInlineNonceSearch() });
    try {
      for (const entry of node.chain.main.slice(1)) {
        expect((await other.chain.addBlock(node.chain.getBlock(entry))).ok).toBe(true);
      }
      const sent = await wallet([
        'send',
        '--wallet',
        'alice',
        '--to',
        wallets.bob.address,
        '--amount',
        '0.5',
        '--json',
      ]);
      expect(sent.code, sent.stderr).toBe(0);
      const id = sent.json.id as string;
      const sentFile = join(home.walletDir, 'alice.sent');
      const followed = () =>
        existsSync(sentFile)
          ? JSON.parse(readFileSync(sentFile, 'utf8')).map((s: { id: string }) => s.id)
          : [];
      expect(followed()).toContain(id);
      expect(other.mempool.has(id)).toBe(false);

      const elsewhere = await wallet(['history', '--wallet', 'alice', '--node', other.url]);
      expect(elsewhere.code, elsewhere.stderr).toBe(0);
      expect(elsewhere.stderr).toContain(
        `Sent transaction ${id} again: it was unknown to the node.`,
      );
      expect(other.mempool.has(id)).toBe(true);

      expect((await post('/mine')).status).toBe(200);
      const home_ = await wallet(['history', '--wallet', 'alice']);
      expect(home_.code, home_.stderr).toBe(0);
      expect(followed()).not.toContain(id);
    } finally {
      await other.close();
    }
  });
});

/** The URL of a port nothing listens on (one that was free a moment ago). */
async function startClosedPort(): Promise<string> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}
