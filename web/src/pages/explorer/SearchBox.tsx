/**
 * The header's search: the node says what the text is (GET /api/search: a height, a block hash,
 * a transaction id, an address) and the page opens it; anything else gets the node's message
 * under the box. One request that always answers 200, so a guess is never a 404; a prefix that
 * several blocks or transactions share comes back as those candidates, each a link.
 */
import { type FormEvent, useState } from 'react';
import type { Answer, ClientError } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { asClientError, useNode } from '../../node.tsx';
import { href, navigate } from '../../router.ts';
import './explorer.css';

type Found = Answer<'search'>['found'][number];
type Outcome = { message: string; candidates?: Found[] } | { error: ClientError } | undefined;

const sentence = (text: string) => `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}.`;

export function SearchBox() {
  const { client } = useNode();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  async function search(query: string): Promise<Outcome> {
    try {
      const answer = await client.request('search', { query: { q: query, ambiguous: 'list' } });
      // A prefix several share: the node's sentence, and each candidate to pick.
      if (answer.problem && answer.found.length > 1)
        return { message: 'Several share that prefix: which one?', candidates: answer.found };
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
            <div className="search-message" role="status">
              <p>{outcome.message}</p>
              {outcome.candidates && (
                <ul className="candidates" aria-label="Candidates">
                  {outcome.candidates.map((c) => (
                    <li key={candidateKey(c)}>
                      <Candidate found={c} onPick={() => setOutcome(undefined)} />
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </div>
      )}
    </search>
  );
}

const candidateKey = (c: Found) =>
  c.kind === 'block' ? c.hash : c.kind === 'tx' ? c.id : c.address;

function Candidate({ found, onPick }: { found: Found; onPick: () => void }) {
  if (found.kind === 'block')
    return (
      <a href={href('block', found.hash)} onClick={onPick} className="mono">
        block #{found.height} {found.hash}
        {!found.main_chain && ' (not on the main chain)'}
      </a>
    );
  if (found.kind === 'tx')
    return (
      <a href={href('tx', found.id)} onClick={onPick} className="mono">
        transaction {found.id} ({found.status})
      </a>
    );
  return (
    <a href={href('address', found.address)} onClick={onPick} className="mono">
      {found.address}
    </a>
  );
}
