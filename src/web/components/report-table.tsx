import type { Report, ReportDimension } from '../lib/alerts-types.ts';

const HEADINGS: Record<ReportDimension, string> = {
  month: 'Month',
  day: 'Day (UTC)',
  hour: 'Hour (UTC)',
  source: 'Source',
  severity: 'Severity',
  service: 'Service',
  status: 'Status',
};

const count = new Intl.NumberFormat();

/** The report's rows: one column per dimension grouped by, then the count, and the total underneath. */
export function ReportTable({ report, year }: { report: Report; year: number }) {
  const total = report.rows.reduce((sum, r) => sum + r.count, 0);
  if (report.rows.length === 0 || total === 0) {
    return (
      <p class="empty" data-testid="report-empty">
        No events in {year}.
      </p>
    );
  }
  return (
    <div class="table-scroll">
      <table data-testid="report-table">
        <caption class="visually-hidden">Events in {year}</caption>
        <thead>
          <tr>
            {report.groupBy.map((d) => (
              <th key={d} scope="col">
                {HEADINGS[d] ?? d}
              </th>
            ))}
            <th scope="col" class="num">
              Events
            </th>
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row, i) => (
            <tr key={i} data-testid="report-row">
              {report.groupBy.map((d) => (
                <td key={d} data-testid={`report-cell-${d}`}>
                  {row.group[d] || <span class="hint">(none)</span>}
                </td>
              ))}
              <td class="num" data-testid="report-count">
                {count.format(row.count)}
              </td>
            </tr>
          ))}
        </tbody>
        {report.groupBy.length > 0 && (
          <tfoot>
            <tr>
              <th scope="row" colSpan={report.groupBy.length}>
                Total
              </th>
              <td class="num" data-testid="report-total">
                {count.format(total)}
              </td>
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}
