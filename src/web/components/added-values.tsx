/** The `key = value` pairs one enrichment step added (as text), or "nothing". */
export function AddedValues({ added }: { added: unknown }) {
  if (typeof added !== 'object' || added === null || Array.isArray(added) || Object.keys(added).length === 0) {
    return <span class="hint">nothing</span>;
  }
  return (
    <ul class="added-list">
      {Object.entries(added).map(([k, v]) => (
        <li key={k} data-testid="enrichment-added" data-key={k}>
          <span class="label-key">{k}</span> ={' '}
          <span class="label-value">{typeof v === 'string' ? v : JSON.stringify(v)}</span>
        </li>
      ))}
    </ul>
  );
}
