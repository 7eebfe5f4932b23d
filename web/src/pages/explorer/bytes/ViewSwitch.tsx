/** Fields or Bytes: how a block or transaction page shows its data. */
export type Shown = 'fields' | 'bytes';

export function ViewSwitch({ view, onChange }: { view: Shown; onChange: (v: Shown) => void }) {
  return (
    <fieldset className="row view-switch">
      <legend className="visually-hidden">Show</legend>
      {(['fields', 'bytes'] as const).map((v) => (
        <button key={v} type="button" aria-pressed={view === v} onClick={() => onChange(v)}>
          {v === 'fields' ? 'Fields' : 'Bytes, explained'}
        </button>
      ))}
    </fieldset>
  );
}
