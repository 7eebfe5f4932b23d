/**
 * The seed's double spends, run by real node processes (`blockyard lab run …` from src/): each
 * scenario starts its own lab network, real wallets sign the transfers, the merchant ships after
 * k confirmations on its own node, and the outcome is what the nodes did. Waits are on the nodes'
 * event streams; the lab network's low fixed difficulty keeps each run to seconds after start-up.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/lab/runScenario.js';

const command: [string, ...string[]] = [
  process.execPath,
  '--import',
  'tsx',
  new URL('../../support/blockyardFromSource.ts', import.meta.url).pathname,
];
const run = (name: string, options: { k: number; q?: number }) =>
  runScenario(name, { ...options, command, networkRate: 20_000 });

describe('the lab scenarios, on real nodes', () => {
  it('race attack: succeeds against a merchant who ships at 0 confirmations', async () => {
    const result = await run('race-attack', { k: 0 });
    expect(result.merchantShipped).toBe(true);
    expect(result.attackSucceeded).toBe(true);
    expect(result.payment).toMatch(/^dropped/);
    // The miners saw the refund first and refused the payment with its code, and the figure
    // counts it (both read once the miners' streams told their verdicts).
    expect(
      result.timeline.some((e) => e.kind === 'tx_refused' && e.id === result.figures.payment_id),
    ).toBe(true);
    expect(result.figures.refused_by_miners).toBeGreaterThan(0);
  }, 180_000);

  it('race attack: fails against a merchant who waits for 1 confirmation', async () => {
    const result = await run('race-attack', { k: 1 });
    expect(result.merchantShipped).toBe(false);
    expect(result.attackSucceeded).toBe(false);
    expect(result.payment).not.toBe('confirmed');
  }, 180_000);

  it("Finney attack: the withheld block takes the payment's coins back after the merchant ships", async () => {
    const result = await run('finney-attack', { k: 0 });
    expect(result.merchantShipped).toBe(true);
    expect(result.attackSucceeded).toBe(true);
    expect(result.payment).toMatch(/^dropped \(TX_NONCE_TOO_LOW/);
    // The last release: an earlier one may have lost the race to an honest block (and said so).
    const released = result.timeline.filter((e) => e.kind === 'released').at(-1);
    expect(released).toMatchObject({ node: 'attacker', blocks: [{ status: 'connected' }] });
    // Every node connected the private block, found by the attacker, after its release.
    const hash = result.figures.private_block;
    for (const node of ['attacker', 'honest', 'merchant']) {
      expect(
        result.timeline.some((e) => e.kind === 'block' && e.node === node && e.hash === hash),
      ).toBe(true);
    }
  }, 180_000);

  it('51 % attack: the payment vanishes from the merchant after 2 confirmations, the reorg returns transfers', async () => {
    const result = await run('majority-attack', { k: 2, q: 0.7 });
    expect(result.merchantShipped).toBe(true);
    expect(result.attackSucceeded).toBe(true);
    expect(result.payment).toMatch(/^dropped/);
    expect(Number(result.figures.merchant_reorg_depth)).toBeGreaterThanOrEqual(2);
    // The honest branch's ordinary transfer came back to the merchant's pool after the reorg.
    expect(result.figures.bystander_returned_to_pool).toBe(true);
    expect(['pending', 'confirmed']).toContain(result.figures.bystander_transfer);
  }, 240_000);
});
