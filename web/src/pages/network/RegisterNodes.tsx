/**
 * Registering nodes (the tutorial's POST /nodes/register): one box of URLs, each introduced to
 * this node at once; the ones added and the ones refused, with why, are shown.
 */
import { type FormEvent, useState } from 'react';
import { ClientError } from '../../../../src/api/client.ts';
import { ErrorNote } from '../../components/ErrorNote.tsx';
import { useCall, useNode } from '../../node.tsx';
import { parseNodeList, type RegisterAnswer, registerNodes } from './networkApi.ts';

export function RegisterNodes({ onChange }: { onChange: () => void }) {
  const { client } = useNode();
  const [text, setText] = useState('');
  const { busy, answer, error, run, setAnswer, setError } = useCall<RegisterAnswer>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setAnswer(undefined);
    const nodes = parseNodeList(text);
    if (nodes.length === 0) {
      setError(
        new ClientError(
          'API_BAD_REQUEST',
          'Type at least one node URL, such as http://192.168.1.20:5000 or 192.168.1.20:5000.',
          0,
        ),
      );
      return;
    }
    const registered = await run(() => registerNodes(client, nodes));
    // What was not added stays in the box, to be corrected and sent again.
    if (registered) setText(registered.failed.map((f) => f.url).join(', '));
    onChange();
  }

  return (
    <form className="panel" onSubmit={submit} aria-label="Register nodes">
      <h2>Register nodes</h2>
      <p className="muted">
        Other nodes to talk to: this node says hello to each, they register it back, and the one
        with the most work shares its chain.
      </p>
      <label htmlFor="node-urls">Node URLs</label>
      <div className="row">
        <input
          id="node-urls"
          className="node-urls"
          type="text"
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          placeholder="http://192.168.1.20:5000, 192.168.1.21:5000"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          aria-describedby="node-urls-help"
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Registering…' : 'Register'}
        </button>
      </div>
      <p id="node-urls-help" className="muted small">
        Separate several with commas or spaces; <code>http://</code> may be left out.
      </p>
      <ErrorNote error={error} title="Nothing was registered." />
      {answer && answer.added.length > 0 && (
        <div className="notice" role="status" data-testid="register-added">
          Added {answer.added.length === 1 ? 'a peer' : `${answer.added.length} peers`}:{' '}
          <span className="mono">{answer.added.join(', ')}</span>. This node now has{' '}
          {answer.total_nodes.length} {answer.total_nodes.length === 1 ? 'peer' : 'peers'}.
        </div>
      )}
      {answer?.nodes
        .filter((n) => n.status === 'retrying')
        .map((n) => (
          <div className="notice" role="status" key={n.url} data-testid="register-retrying">
            <span className="mono">{n.url}</span> is not answering yet: this node will keep trying
            (within a second, then less often, up to every 30 s) and connect when it is up.
          </div>
        ))}
      {answer?.failed.map((failure) => (
        <ErrorNote
          key={failure.url}
          title={`${failure.url} was not added.`}
          error={new ClientError(failure.code, failure.message, 0)}
        />
      ))}
    </form>
  );
}
