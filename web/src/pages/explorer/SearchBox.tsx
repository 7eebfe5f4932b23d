/**
 * The header's search: the node says what the text is (GET /api/search: a height, a block hash,
 * a transaction id, an address) and the page opens it; anything else gets the node's message
 * under the box. One request that always answers 200, so a guess is never a 404.
 */
import { type FormEvent, useState } from 'react';
import type { ClientError } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { asClientError, useNode } from '../../node.tsx';
import { navigate } from '../../router.ts';
import './explorer.css';

type Outcome = { message: string } | { error: ClientError } | undefined;

const sentence = (text: string) => `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}.`;

export function SearchBox() {
  const { client } = useNode();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  async function search(query: string): Promise<Outcome> {
    try {
      const answer = await client.request('search', { query: { q: query } });
      // A hash that is both a block and a transaction (it cannot be, in practice): the block.
      const first = answer.found[0];
      if (!first) return { message: sentence(answer.problem ?? 'nothing found') };
      // A height stays a height in the URL (#/block/12), as the reader typed it.
      if (first.kind === 'block')
        navigate('block', /^\d+$/.test(query) ? first.height : first.hash);
      else if (first.kind === 'tx') navigate('tx', first.id);
      else navigate('address', first.address);
      return undefined;
    } catch (e) {
      return { error: asClientError(e) };
    }
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
