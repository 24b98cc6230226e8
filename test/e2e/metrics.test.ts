import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiClient,
  launchBrowser,
  openPage,
  shot as fullShot,
  signIn,
  startCairn,
  type RunningCairn,
} from './harness.ts';

/** A full-page screenshot from the top (the sticky top bar stays in place). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await fullShot(page, name);
}

type Json = Record<string, any>;

describe('the Metrics page in the browser', () => {
  let cairn: RunningCairn;
  let browser: Browser;
  let dir = '';
  let admin: { context: BrowserContext; page: Page; errors: string[] };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-e2e-metrics-'));
    const config = join(dir, 'cairn.yaml');
    await writeFile(
      config,
      [
        'logs:',
        '  groups:',
        '    /app/web: {}',
        '  metricFilters:',
        '    - name: errors',
        '      logGroup: /app/web',
        '      FilterPattern: ERROR',
        '      MetricTransformations:',
        "        - { MetricName: Errors, MetricNamespace: App, MetricValue: '1' }",
        '  alarms:',
        '    - AlarmName: app-errors',
        '      AlarmDescription: The web app logs errors',
        '      Namespace: App',
        '      MetricName: Errors',
        '      Statistic: Sum',
        '      Period: 10',
        '      EvaluationPeriods: 1',
        '      Threshold: 0',
        '      ComparisonOperator: GreaterThanThreshold',
        '      TreatMissingData: notBreaching',
      ].join('\n'),
    );
    cairn = await startCairn({ env: { CAIRN_CONFIG: config } });
    browser = await launchBrowser();
    admin = await openPage(browser, cairn.url);
    await admin.page.goto('/metrics');
    await signIn(admin.page, cairn.admin);
  });

  afterAll(async () => {
    await browser?.close();
    await cairn?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('charts the metric with the alarm threshold and shows the alarm going to ALARM', async () => {
    const api = await apiClient(cairn, cairn.admin);
    const posted = await api.call<Json>('POST', '/api/logs/app/web', {
      events: [
        { message: 'INFO started' },
        { message: 'ERROR database unreachable' },
        { message: 'ERROR timeout talking to payments' },
        { message: 'INFO request ok' },
        { message: 'ERROR disk full' },
      ],
    });
    expect(posted.accepted).toBe(5);

    // Period 10 s, evaluated 2 s after it closes: the alarm fires within a period or two.
    const deadline = Date.now() + 40_000;
    let alarm: Json | undefined;
    while (Date.now() < deadline) {
      alarm = (await api.call<{ items: Json[] }>('GET', '/api/alarms')).items[0];
      if (alarm?.state?.value === 'ALARM') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(alarm?.state?.value).toBe('ALARM');

    const { page, errors } = admin;
    await page.goto('/');
    await page.getByTestId('nav-metrics').click();
    await expect.poll(() => page.url()).toMatch(/\/metrics$/);
    expect(await page.title()).toBe('Metrics · Cairn');

    const chart = page.getByTestId('metric-chart');
    await chart.waitFor();
    expect(await chart.getAttribute('data-metric')).toBe('App/Errors');
    await chart.getByTestId('metric-bar').first().waitFor();
    const values = await chart
      .getByTestId('metric-bar')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-value')));
    expect(values.map(Number).reduce((a, b) => a + b, 0)).toBe(3);
    const threshold = chart.getByTestId('metric-threshold');
    expect(await threshold.getAttribute('data-alarm')).toBe('app-errors');
    expect(await threshold.getAttribute('data-threshold')).toBe('0');
    expect(await chart.getByTestId('metric-threshold-label').textContent()).toBe('app-errors: Sum > 0');
    expect(await chart.locator('line.threshold-line').count()).toBe(1);
    expect(await chart.getByTestId('metric-desc').textContent()).toContain('Alarm app-errors threshold > 0');

    const card = page.locator('[data-testid="alarm"][data-alarm="app-errors"]');
    await card.waitFor();
    expect(await card.getAttribute('data-state')).toBe('ALARM');
    expect(await card.getByTestId('alarm-state').textContent()).toBe('ALARM');
    expect(await card.getByTestId('alarm-reason').textContent()).toMatch(/Threshold Crossed/i);
    await card.getByTestId('alarm-changed').waitFor();
    const history = card.getByTestId('alarm-history-item');
    expect(await history.count()).toBeGreaterThanOrEqual(1);
    expect(await history.first().getAttribute('data-new-state')).toBe('ALARM');
    await shot(page, 'metrics-chart-alarm');
    expect(errors).toEqual([]);
  });

  it('tests a pattern on pasted lines: extracted values, and a syntax error with its column', async () => {
    const { page, errors } = admin;
    const tester = page.getByTestId('pattern-tester');
    await tester.scrollIntoViewIfNeeded();
    await tester.getByTestId('pattern-input').fill('[ip, user, status = 4*]');
    await tester
      .getByTestId('pattern-lines')
      .fill(['10.0.0.1 alice 404', '10.0.0.2 bob 200', '10.0.0.3 <script>x</script> 403'].join('\n'));
    await tester.getByTestId('pattern-test').click();
    await tester.getByTestId('pattern-results').waitFor();
    expect(await tester.getByTestId('pattern-summary').textContent()).toBe('2 of 3 lines matched.');
    const matches = tester.getByTestId('pattern-match');
    expect(await matches.count()).toBe(2);
    expect(await matches.nth(0).getAttribute('data-event-number')).toBe('1');
    expect(await matches.nth(1).getAttribute('data-event-number')).toBe('3');
    const first = await matches
      .nth(0)
      .getByTestId('pattern-value')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-key'), e.querySelector('dd')?.textContent]));
    expect(Object.fromEntries(first)).toEqual({ $ip: '10.0.0.1', $user: 'alice', $status: '404' });
    // Text stays text: the markup-looking value is shown, not parsed.
    expect(await matches.nth(1).locator('script').count()).toBe(0);
    expect(await matches.nth(1).textContent()).toContain('<script>x</script>');
    await shot(page, 'metrics-pattern-matches');

    await tester.getByTestId('pattern-input').fill('[a');
    await tester.getByTestId('pattern-test').click();
    const error = tester.getByTestId('pattern-error');
    await error.waitFor();
    expect(await tester.getByTestId('pattern-results').count()).toBe(0);
    const column = await error.getAttribute('data-column');
    expect(Number(column)).toBeGreaterThan(0);
    expect(await tester.getByTestId('pattern-error-message').textContent()).toMatch(new RegExp(`^column ${column}: `));
    expect(await tester.getByTestId('pattern-caret').textContent()).toBe(`[a\n${' '.repeat(Number(column) - 1)}^`);
    await shot(page, 'metrics-pattern-error');
    expect(errors).toEqual([]);
  });
});
