import { AddedValues } from './added-values.tsx';
import { JsonBlock } from './json-block.tsx';

/** What each enrichment step added (docs/hub.md): lookup tables, HTTP lookups, the module, rules, errors. */
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

interface Step {
  kind: string;
  from: string;
  added: unknown;
}

function stepsOf(enrichment: Json): Step[] {
  const steps: Step[] = [];
  for (const t of asList(enrichment.tables)) {
    if (isObject(t)) steps.push({ kind: 'Lookup table', from: `${text(t.key)} = ${text(t.value)}`, added: t.added });
  }
  for (const h of asList(enrichment.http)) {
    if (isObject(h)) steps.push({ kind: 'HTTP lookup', from: text(h.url), added: h.added });
  }
  if (isObject(enrichment.module)) {
    const { labels, ...fields } = enrichment.module;
    steps.push({ kind: 'Module', from: 'enrich module', added: { ...fields, ...(isObject(labels) ? labels : {}) } });
  }
  for (const r of asList(enrichment.rules)) steps.push({ kind: 'Rule', from: 'matched a rule', added: r });
  return steps;
}

const KNOWN = new Set(['tables', 'http', 'module', 'rules', 'errors']);

export function EnrichmentView({ enrichment }: { enrichment: Record<string, unknown> }) {
  const steps = stepsOf(enrichment);
  const errors = asList(enrichment.errors).map(text);
  const other = Object.fromEntries(Object.entries(enrichment).filter(([k]) => !KNOWN.has(k)));
  if (steps.length === 0 && errors.length === 0 && Object.keys(other).length === 0) {
    return (
      <p class="empty" data-testid="enrichment-empty">
        Enrichment added nothing to this event.
      </p>
    );
  }
  return (
    <div class="enrichment" data-testid="enrichment">
      {steps.length > 0 && (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">What enrichment added</caption>
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Looked up</th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {steps.map((step, i) => (
                <tr key={i} data-testid="enrichment-step" data-kind={step.kind}>
                  <td class="nowrap">{step.kind}</td>
                  <td class="mono">{step.from}</td>
                  <td>
                    <AddedValues added={step.added} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {errors.length > 0 && (
        <ul class="enrichment-errors" aria-label="Enrichment errors" data-testid="enrichment-errors">
          {errors.map((e, i) => (
            <li key={i} class="alert alert-error">
              {e}
            </li>
          ))}
        </ul>
      )}
      {Object.keys(other).length > 0 && (
        <JsonBlock value={JSON.stringify(other, null, 2)} label="Other enrichment data" />
      )}
    </div>
  );
}
