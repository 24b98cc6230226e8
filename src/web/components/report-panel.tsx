import { useEffect, useRef, useState } from 'preact/hooks';
import { alertsApi } from '../lib/alerts-api.ts';
import { REPORT_DIMENSIONS, type Report, type ReportDimension } from '../lib/alerts-types.ts';
import { messageOf } from '../lib/api.ts';
import { navigate, useSearch } from '../lib/router.ts';
import { Alert } from './alert.tsx';
import { CsvDownloadButton } from './csv-download-button.tsx';
import { ReportTable } from './report-table.tsx';

const LABELS: Record<ReportDimension, string> = {
  month: 'Month',
  day: 'Day',
  hour: 'Hour',
  source: 'Source',
  severity: 'Severity',
  service: 'Service',
  status: 'Status',
};

const thisYear = () => new Date().getUTCFullYear();

function parse(search: string): { year: number; groupBy: ReportDimension[] } {
  const p = new URLSearchParams(search);
  const y = Number(p.get('year'));
  const year = Number.isInteger(y) && y >= 1970 && y <= 9999 ? y : thisYear();
  const raw = p.get('groupBy');
  const wanted = raw === null ? ['month'] : raw.split(',');
  return { year, groupBy: REPORT_DIMENSIONS.filter((d) => wanted.includes(d)) };
}

/** The year-end report: events counted per month (or anything else ticked), as a table or a CSV file. */
export function ReportPanel() {
  const search = useSearch();
  const { year, groupBy } = parse(search);
  const [yearDraft, setYearDraft] = useState(String(year));
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const key = `${year}:${groupBy.join(',')}`;

  useEffect(() => setYearDraft(String(year)), [year]);
  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    alertsApi
      .report(year, groupBy)
      .then((r) => {
        if (mine !== generation.current) return;
        setReport(r);
        setError(null);
      })
      .catch((e: unknown) => mine === generation.current && setError(messageOf(e)))
      .finally(() => mine === generation.current && setLoading(false));
  }, [key]);

  const go = (next: { year?: number; groupBy?: ReportDimension[] }) => {
    const p = new URLSearchParams({
      year: String(next.year ?? year),
      groupBy: (next.groupBy ?? groupBy).join(','),
    });
    navigate(`/alerts/report?${p.toString()}`, { replace: true, keepScroll: true });
  };
  const applyYear = () => {
    const y = Number(yearDraft);
    if (Number.isInteger(y) && y >= 1970 && y <= 9999) go({ year: y });
    else setYearDraft(String(year));
  };

  return (
    <section class="card report-panel" aria-labelledby="report-heading" data-testid="report-panel">
      <h2 id="report-heading">Year-end report</h2>
      <form
        class="report-form"
        onSubmit={(e) => {
          e.preventDefault();
          applyYear();
        }}
      >
        <label class="field report-year">
          <span>Year</span>
          <input
            type="number"
            min={1970}
            max={9999}
            step={1}
            value={yearDraft}
            onInput={(e) => setYearDraft(e.currentTarget.value)}
            onChange={applyYear}
            data-testid="report-year"
          />
        </label>
        <fieldset class="checks">
          <legend>Group by</legend>
          {REPORT_DIMENSIONS.map((d) => (
            <label key={d} class="check">
              <input
                type="checkbox"
                checked={groupBy.includes(d)}
                onChange={(e) =>
                  go({
                    groupBy: e.currentTarget.checked
                      ? REPORT_DIMENSIONS.filter((x) => x === d || groupBy.includes(x))
                      : groupBy.filter((x) => x !== d),
                  })
                }
                data-testid={`report-group-${d}`}
              />
              {LABELS[d]}
            </label>
          ))}
        </fieldset>
        <div class="report-actions">
          <CsvDownloadButton
            fetchBlob={() => alertsApi.reportCsv(year, groupBy)}
            fileName={`cairn-events-${year}${groupBy.length ? `-by-${groupBy.join('-')}` : ''}.csv`}
          />
        </div>
      </form>
      {error && <Alert>{error}</Alert>}
      <div aria-live="polite" aria-busy={loading} data-testid="report-result" data-loading={loading}>
        {report && <ReportTable report={report} year={year} />}
      </div>
    </section>
  );
}
