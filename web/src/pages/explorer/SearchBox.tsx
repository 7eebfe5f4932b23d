/**
 * The header's search: a number opens that block; 64 hex characters open the block with that
 * hash, else the transaction with that id; an address of this network opens the address. Anything
 * else, or a hash the node does not know, gets a message under the box.
 */
import { type FormEvent, useState } from 'react';
import type { ClientError } from '../../../../src/api/client.ts';
import { parseAddress } from '../../../../src/core/address.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { asClientError, useNode } from '../../node.tsx';
import { navigate } from '../../router.ts';
import './explorer.css';

type Outcome = { message: string } | { error: ClientError } | undefined;

export function SearchBox() {
  const { client, info } = useNode();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  async function search(query: string): Promise<Outcome> {
    if (/^\d{1,10}$/.test(query)) {
      navigate('block', Number(query));
      return undefined;
    }
    if (/^[0-9a-f]{64}$/i.test(query)) {
      const id = query.toLowerCase();
      for (const [page, load] of [
        ['block', () => client.block(id)],
        ['tx', () => client.tx(id)],
      ] as const) {
        try {
          await load();
          navigate(page, id);
          return undefined;
        } catch (e) {
          const error = asClientError(e);
          if (error.code !== 'API_NOT_FOUND') return { error };
        }
      }
      return { message: 'No block or transaction with that hash on this node.' };
    }
    const prefix = info?.address_prefix;
    if (prefix === undefined) return { message: 'Still connecting to the node; try again.' };
    const address = parseAddress(query, prefix);
    if (address.ok) {
      navigate('address', query.toLowerCase());
      return undefined;
    }
    if (query.toLowerCase().startsWith(`${prefix}1`)) return { message: address.detail };
    return {
      message: `Search for a block height (like 12), a block hash or transaction id (64 hex characters), or an address (${prefix}1…).`,
    };
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const query = text.trim();
    if (!query) return;
    setBusy(true);
    setOutcome(undefined);
    const found = await search(query);
    setBusy(false);
    setOutcome(found);
    if (!found) setText('');
  }

  return (
    <search className="search">
      <form className="search-form" onSubmit={onSubmit}>
        <label htmlFor="search-input" className="visually-hidden">
          Search height, hash, transaction or address
        </label>
        <input
          id="search-input"
          type="search"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setOutcome(undefined);
          }}
          placeholder="Height, hash or address"
          autoComplete="off"
          spellCheck={false}
        />
        <button type="submit" disabled={busy}>
          Search
        </button>
      </form>
      {outcome && (
        <div className="search-outcome" aria-live="polite">
          {'error' in outcome ? (
            <ErrorNote error={outcome.error} title="The search failed." />
          ) : (
            <p className="search-message" role="status">
              {outcome.message}
            </p>
          )}
        </div>
      )}
    </search>
  );
}
