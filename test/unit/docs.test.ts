/**
 * Keeps docs/errors.md and docs/protocol.md tied to the code: the error table lists exactly
 * the core's codes with the API's statuses and the peers' penalties, every consensus code is specified in protocol.md, and the genesis blocks,
 * the worked example and the network table quoted there are what the code computes now.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { httpStatus } from '../../src/api/httpStatus.js';
import {
  blockHashHex,
  type ErrorCode,
  encodeAddress,
  encodeBlock,
  encodeHeader,
  encodeTx,
  errorMeanings,
  genesisBlock,
  type NetworkParams,
  networks,
  toHex,
  tutorialParams,
  txIdHex,
  txSigningBytes,
  type UnsignedTransfer,
} from '../../src/core/index.js';
import { publicKeyFromSecret, signTransfer } from '../../src/core/nobleEd25519.js';
import { penaltyOf } from '../../src/p2p/penaltyOf.js';

const readDoc = (name: string) =>
  readFileSync(new URL(`../../docs/${name}`, import.meta.url), 'utf8');
const errorsMd = readDoc('errors.md');
const protocolMd = readDoc('protocol.md');

const CONSENSUS_PREFIXES = ['ENCODING_', 'TX_', 'BLOCK_', 'POW_', 'CHAIN_'];

interface DocRow {
  readonly code: string;
  readonly status: number;
  readonly penalty: number;
  readonly meaning: string;
}

/** Rows of the form | `CODE` | status | penalty | meaning |, anywhere in the document. */
function errorRows(markdown: string): DocRow[] {
  const rows: DocRow[] = [];
  const pattern = /^\|\s*`([A-Z0-9_]+)`\s*\|\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(.*?)\s*\|\s*$/gm;
  for (const match of markdown.matchAll(pattern)) {
    rows.push({
      code: match[1]!,
      status: Number(match[2]),
      penalty: Number(match[3]),
      meaning: match[4]!.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&'),
    });
  }
  return rows;
}

/** The value on the one line `label   value` (a label, two or more spaces, one token). */
function labelled(label: string): string {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const matches = [...protocolMd.matchAll(new RegExp(`^${escaped}\\s{2,}(\\S+)\\s*$`, 'gm'))];
  expect(matches, `protocol.md has one "${label}" line`).toHaveLength(1);
  return matches[0]![1]!;
}

describe('docs/errors.md', () => {
  const rows = errorRows(errorsMd);

  it('lists every code of errorMeanings exactly once, and no other', () => {
    const documented = rows.map((row) => row.code);
    expect(new Set(documented).size, 'a code is listed twice').toBe(documented.length);
    expect([...documented].sort()).toEqual(Object.keys(errorMeanings).sort());
  });

  it('gives each code the meaning, status and penalty of the core, the API and the peers', () => {
    for (const row of rows) {
      const code = row.code as ErrorCode;
      expect({ code: row.code, status: row.status, penalty: row.penalty }).toEqual({
        code: row.code,
        status: httpStatus[code],
        penalty: penaltyOf(code),
      });
      expect(row.meaning, row.code).toBe(errorMeanings[code]);
    }
  });
});

describe('docs/protocol.md', () => {
  it('specifies every consensus error code', () => {
    const consensus = Object.keys(errorMeanings).filter((code) =>
      CONSENSUS_PREFIXES.some((prefix) => code.startsWith(prefix)),
    );
    expect(consensus.length).toBeGreaterThan(20);
    const missing = consensus.filter((code) => !protocolMd.includes(`\`${code}\``));
    expect(missing, 'consensus codes protocol.md never mentions').toEqual([]);
  });

  it('names no error code that does not exist', () => {
    const mentioned = new Set(
      [...protocolMd.matchAll(/`((?:ENCODING|JSON|ADDRESS|TX|BLOCK|POW|CHAIN)_[A-Z0-9_]+)`/g)].map(
        (m) => m[1]!,
      ),
    );
    const unknown = [...mentioned].filter((code) => !Object.hasOwn(errorMeanings, code));
    expect(unknown).toEqual([]);
  });

  it.each(Object.values(networks))(
    'quotes the $name genesis block as the code builds it',
    (params) => {
      const genesis = genesisBlock(params);
      expect(labelled(`${params.name} genesis header`)).toBe(toHex(encodeHeader(genesis.header)));
      expect(labelled(`${params.name} genesis hash`)).toBe(blockHashHex(genesis.header));
      expect(labelled(`${params.name} genesis block`)).toBe(toHex(encodeBlock(genesis)));
    },
  );

  it('quotes the worked example as the code signs and hashes it', () => {
    const senderSecret = new Uint8Array(32).fill(0x01);
    const recipientSecret = new Uint8Array(32).fill(0x02);
    const from = publicKeyFromSecret(senderSecret);
    const to = publicKeyFromSecret(recipientSecret);
    const unsigned: UnsignedTransfer = {
      type: 'transfer',
      chainId: tutorialParams.chainId,
      from,
      to,
      amount: 150_000_000n,
      fee: 1_000n,
      nonce: 0n,
    };
    const tx = signTransfer(unsigned, senderSecret);

    expect(labelled('sender secret key')).toBe(toHex(senderSecret));
    expect(labelled('sender public key')).toBe(toHex(from));
    expect(labelled('sender address')).toBe(encodeAddress(from, 'tut'));
    expect(labelled('recipient secret key')).toBe(toHex(recipientSecret));
    expect(labelled('recipient public key')).toBe(toHex(to));
    expect(labelled('recipient address')).toBe(encodeAddress(to, 'tut'));
    expect(labelled('recipient devnet address')).toBe(encodeAddress(to, 'dev'));
    expect(labelled('signing preimage')).toBe(toHex(txSigningBytes(unsigned)));
    expect(labelled('signature')).toBe(toHex(tx.signature));
    expect(labelled('transaction')).toBe(toHex(encodeTx(tx)));
    expect(labelled('transaction id')).toBe(txIdHex(tx));
  });

  it('gives the parameters of every network as src/core/params.ts does', () => {
    const table = new Map<string, string[]>();
    for (const m of protocolMd.matchAll(/^\|\s*`(\w+)`[^|]*\|([^|]*)\|([^|]*)\|([^|]*)\|\s*$/gm)) {
      table.set(m[1]!, [m[2]!.trim(), m[3]!.trim(), m[4]!.trim()]);
    }
    const documented = (Object.keys(tutorialParams) as (keyof NetworkParams)[]).filter(
      (key) => key !== 'name',
    );
    const firstNumber = (cell: string) => /[\d,]+/.exec(cell)?.[0].replaceAll(',', '');
    const firstCode = (cell: string) => /`([^`]+)`/.exec(cell)?.[1];
    for (const key of documented) {
      const cells = table.get(key);
      expect(cells, `protocol.md's network table has a \`${key}\` row`).toBeDefined();
      [networks.tutorial, networks.devnet, networks.lab].forEach((params, i) => {
        const cell = cells![i]!;
        const value = params[key];
        const where = `${key} of ${params.name}: "${cell}"`;
        if (key === 'retarget') {
          const rule = params.retarget;
          if (rule === null) expect(cell, where).toMatch(/^none/);
          else {
            expect(cell, where).toContain(`every ${rule.intervalBlocks} blocks`);
            expect(cell, where).toContain(`${rule.targetBlockTimeMs.toLocaleString('en-US')} ms`);
          }
        } else if (key === 'addressPrefix') {
          expect(firstCode(cell), where).toBe(value);
        } else if (key === 'powLimitBits' || key === 'genesisBits') {
          expect(Number.parseInt(firstCode(cell) ?? '', 16), where).toBe(value);
        } else {
          expect(firstNumber(cell), where).toBe(String(value));
        }
      });
    }
  });

  it('links only to headings it has', () => {
    const slug = (heading: string) =>
      heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-');
    const anchors = new Set([...protocolMd.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => slug(m[1]!)));
    const links = [...protocolMd.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(10);
    expect(links.filter((link) => !anchors.has(link))).toEqual([]);
  });
});
