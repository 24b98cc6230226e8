import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiClient,
  launchBrowser,
  openPage,
  shot as fullShot,
  shotsDir,
  signIn,
  startCairn,
  type RunningCairn,
} from './harness.ts';

type Json = Record<string, any>;
const SECRET = 'whsec_' + Buffer.from('an-e2e-secret-of-32-bytes-length').toString('base64');
const EVIL_TITLE = '<img src=x onerror=alert(1)>';

/** A Slack incoming-webhook stand-in: /hook answers 200, /broken answers 500 (for dead letters). */
async function slackSink() {
  const received: Json[] = [];
  const hits = { broken: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/broken') {
        hits.broken += 1;
        res.statusCode = 500;
        res.end('internal error from the test sink');
        return;
      }
      received.push(JSON.parse(body) as Json);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/hook`,
    broken: `${base}/broken`,
    received,
    hits,
    close: () => new Promise((r) => server.close(r)),
  };
}

/** A Standard Webhooks request: HMAC-SHA256 over `id.timestamp.body` with the secret's decoded key. */
function signed(body: string, id: string) {
  const timestamp = Math.floor(Date.now() / 1000);
  const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
  const sig = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${sig}`,
  };
}

/** A full-page screenshot from the top (a sticky top bar would otherwise land mid-page). */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await fullShot(page, name);
}

/** Elements that stick out past the right edge of the viewport (what makes a phone scroll sideways). */
const overflowing = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .filter((el) => !el.closest('.table-scroll, .code-block, .tabs, .main-nav'))
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`)
      .slice(0, 8),
  );

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(150);
  }
}

describe('the Alerts page in the browser', () => {
  let cairn: RunningCairn;
  let browser: Browser;
  let sink: Awaited<ReturnType<typeof slackSink>>;
  let configDir = '';
  let admin: { context: BrowserContext; page: Page; errors: string[] };
  let api: Awaited<ReturnType<typeof apiClient>>;
  const dialogs: string[] = [];
  const onDialog = (dialog: Dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  };
  let sent = 0;
  const ids: Record<string, string> = {};

  /** Sends one signed webhook to the grafana source and returns the event id the hub gave it. */
  async function send(payload: Json): Promise<string> {
    const body = JSON.stringify(payload);
    const res = await fetch(`${cairn.url}/hooks/grafana`, {
      method: 'POST',
      headers: signed(body, `msg_${++sent}`),
      body,
    });
    expect(res.status).toBe(202);
    const { eventId } = (await res.json()) as { eventId: string };
    ids[payload.title as string] = eventId;
    await sleep(30); // distinct receivedAt, so "newest first" has one right answer
    return eventId;
  }

  beforeAll(async () => {
    sink = await slackSink();
    configDir = await mkdtemp(join(tmpdir(), 'cairn-e2e-alerts-'));
    const config = join(configDir, 'cairn.yaml');
    await writeFile(
      config,
      [
        'alerts:',
        '  queue: { maxReceiveCount: 2, backoffBase: 1, backoffMax: 1 }',
        '  delivery: { maxReceiveCount: 2, backoffBase: 1, backoffMax: 1 }',
        '  sources:',
        '    grafana:',
        `      verify: { scheme: standard-webhooks, secret: "${SECRET}" }`,
        '  enrich:',
        '    tables:',
        '      - key: service',
        '        values: { payments: { team: payments, runbook: "https://runbooks.example.com/payments" } }',
        '    rules:',
        '      - match: { severity: [critical] }',
        '        set: { pager: "yes" }',
        '  channels:',
        `    ops-slack: { type: slack, url: "${sink.url}" }`,
        `    broken-slack: { type: slack, url: "${sink.broken}" }`,
        '  routes:',
        '    - match: { service: [flaky] }',
        '      channels: [broken-slack]',
        '      groupWait: 0s',
        '    - match: { source: [grafana] }',
        '      channels: [ops-slack]',
        '      groupWait: 0s',
        '  silences:',
        '    - name: new-year-maintenance',
        '      match: { service: [nightly-batch] }',
        '      schedule: { expression: "cron(0 3 1 1 ? 2099)", duration: 2h, timeZone: Europe/Paris }',
        '      comment: Database upgrade',
      ].join('\n'),
    );
    cairn = await startCairn({ env: { CAIRN_CONFIG: config } });
    api = await apiClient(cairn, cairn.admin);

    await send({ title: 'Disk almost full', severity: 'warning', service: 'storage', summary: '92% used on /var' });
    await send({
      title: 'Payment latency high',
      severity: 'critical',
      service: 'payments',
      summary: 'p99 above 2 s for 5 minutes',
      labels: { region: 'eu-west-1' },
    });
    await send({ title: 'Cache hit ratio low', severity: 'info', service: 'cache' });
    await send({ title: EVIL_TITLE, severity: 'error', service: 'web', summary: '<script>alert(2)</script>' });
    await send({ title: 'Flaky webhook target', severity: 'warning', service: 'flaky' });

    // Everything stored, the payment alert delivered to Slack, the flaky one given up on.
    await until('five events in history', async () => {
      const list = await api.call<Json>('GET', '/api/events');
      return list.items.length === 5;
    });
    await until('the Slack delivery', async () => {
      const event = await api.call<Json>('GET', `/api/events/${ids['Payment latency high']}`);
      return event.deliveries.some((d: Json) => d.status === 'succeeded');
    });
    await until(
      'a dead letter on channel:broken-slack',
      async () => {
        const queues = await api.call<Json>('GET', '/api/alerts/queues');
        return queues.items.find((q: Json) => q.name === 'channel:broken-slack')?.dead === 1;
      },
      30_000,
    );

    browser = await launchBrowser();
    admin = await openPage(browser, cairn.url);
    admin.page.on('dialog', onDialog);
    await admin.page.goto('/alerts');
    await signIn(admin.page, cairn.admin);
  });

  afterAll(async () => {
    await browser?.close();
    await cairn?.stop();
    await sink?.close();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  const titles = (page: Page) => page.getByTestId('event-title').allTextContents();

  it('lists the events newest first, with severity badges and relative times', async () => {
    const { page } = admin;
    await page.getByTestId('alerts-page').waitFor();
    expect(await page.getByTestId('nav-alerts').getAttribute('aria-current')).toBe('page');
    await expect.poll(() => page.getByTestId('event-row').count()).toBe(5);
    expect(await titles(page)).toEqual([
      'Flaky webhook target',
      EVIL_TITLE,
      'Cache hit ratio low',
      'Payment latency high',
      'Disk almost full',
    ]);
    const rows = page.getByTestId('event-row');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')))).toEqual([
      'warning',
      'error',
      'info',
      'critical',
      'warning',
    ]);
    expect(await rows.nth(3).getByTestId('severity-badge').textContent()).toBe('Critical');
    const time = rows.first().getByTestId('event-time');
    expect(await time.textContent()).toMatch(/now|second|minute/);
    expect(await time.getAttribute('title')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/);
    await shot(page, 'alerts-feed');
  });

  it('renders a title that looks like HTML as text, with no dialog', async () => {
    const { page } = admin;
    const row = page.locator(`[data-testid="event-row"][data-event-id="${ids[EVIL_TITLE]}"]`);
    expect(await row.getByTestId('event-title').textContent()).toBe(EVIL_TITLE);
    expect(await page.locator('main img').count()).toBe(0);
    await row.getByTestId('event-title').click();
    await page.getByTestId('event-detail-title').waitFor();
    expect(await page.getByTestId('event-detail-title').textContent()).toBe(EVIL_TITLE);
    expect(await page.getByTestId('event-detail-summary').textContent()).toBe('<script>alert(2)</script>');
    expect(await page.getByTestId('event-raw-body').textContent()).toContain(`"title": "${EVIL_TITLE}"`);
    expect(await page.locator('main img, main script').count()).toBe(0);
    await shot(page, 'alerts-event-xss');
    await page.getByTestId('back-to-events').click();
    await page.getByTestId('event-row').first().waitFor();
    await sleep(300);
    expect(dialogs).toEqual([]);
  });

  it('shows a new event at the top while live, without a reload', async () => {
    const { page } = admin;
    await send({ title: 'Queue depth rising', severity: 'warning', service: 'orders' });
    await expect.poll(() => titles(page).then((t) => t[0]), { timeout: 15_000 }).toBe('Queue depth rising');
    expect(await page.getByTestId('event-row').count()).toBe(6);
  });

  it('narrows the feed by severity and keeps the filter in a shareable URL', async () => {
    const { page } = admin;
    await page.getByTestId('filter-severity').selectOption('critical');
    await expect.poll(() => titles(page)).toEqual(['Payment latency high']);
    expect(new URL(page.url()).search).toBe('?severity=critical');
    await shot(page, 'alerts-filtered');

    // The same URL, opened afresh, shows the same view.
    await page.reload();
    await page.getByTestId('event-row').first().waitFor();
    expect(await titles(page)).toEqual(['Payment latency high']);
    expect(await page.getByTestId('filter-severity').inputValue()).toBe('critical');
    // The filters offer what the time range holds (GET /api/events/facets): counts and known sources.
    const critical = page.locator('[data-testid="filter-severity"] option[value="critical"]');
    await expect.poll(() => critical.textContent()).toBe('Critical (1)');
    const sources = page.locator('[data-testid="filter-sources"] option');
    expect(await sources.evaluateAll((els) => els.map((e) => e.getAttribute('value')))).toEqual(['grafana']);

    await page.getByTestId('filter-text').fill('nothing matches this');
    await page.getByTestId('feed-empty').waitFor();
    expect(new URL(page.url()).searchParams.get('text')).toBe('nothing matches this');
    await page.getByTestId('filter-text').fill('');
    await expect.poll(() => titles(page)).toEqual(['Payment latency high']);
  });

  it('opens an event with its enrichment, raw body and Slack delivery', async () => {
    const { page } = admin;
    await page.getByTestId('event-title').first().click();
    await page.waitForURL(`**/alerts/events/${ids['Payment latency high']}`);
    await page.getByTestId('event-detail-title').waitFor();
    expect(await page.getByTestId('event-detail-title').textContent()).toBe('Payment latency high');
    expect(await page.getByTestId('event-detail-summary').textContent()).toBe('p99 above 2 s for 5 minutes');
    expect(await page.getByTestId('event-detail-status').textContent()).toBe('Firing');

    const labels = page.getByTestId('event-labels');
    expect(await labels.textContent()).toContain('payments');
    expect(await page.locator('[data-testid="event-label"][data-key="team"]').textContent()).toBe('teampayments');
    const runbook = page.locator('[data-testid="event-label"][data-key="runbook"] a');
    expect(await runbook.getAttribute('href')).toBe('https://runbooks.example.com/payments');
    expect(await runbook.getAttribute('rel')).toBe('noopener noreferrer');

    const table = page.locator('[data-testid="enrichment-step"][data-kind="Lookup table"]');
    expect(await table.textContent()).toContain('service = payments');
    expect(await table.locator('[data-testid="enrichment-added"][data-key="runbook"]').textContent()).toBe(
      'runbook = https://runbooks.example.com/payments',
    );
    const rule = page.locator('[data-testid="enrichment-step"][data-kind="Rule"]');
    expect(await rule.textContent()).toContain('pager = yes');

    const raw = (await page.getByTestId('event-raw-body').textContent()) ?? '';
    expect(raw).toContain('  "title": "Payment latency high",\n');
    expect(JSON.parse(raw)).toMatchObject({ title: 'Payment latency high', labels: { region: 'eu-west-1' } });

    const delivery = page.locator('[data-testid="delivery-row"][data-target="channel:ops-slack"]');
    await expect.poll(() => delivery.getAttribute('data-status')).toBe('succeeded');
    expect(await delivery.getByTestId('delivery-status').textContent()).toBe('Succeeded');
    expect(Number(await delivery.getByTestId('delivery-attempts').textContent())).toBeGreaterThanOrEqual(1);
    expect(await delivery.getByTestId('delivery-error').textContent()).toBe('—');
    await shot(page, 'alerts-event');

    // The Slack message links to this very page.
    expect(JSON.stringify(sink.received)).toContain(`/alerts/events/${ids['Payment latency high']}`);

    await page.getByTestId('back-to-events').click();
    await page.waitForURL('**/alerts?severity=critical');
    await page.getByTestId('filter-clear').click();
    await expect.poll(() => page.getByTestId('event-row').count()).toBe(6);
  });

  it('draws the events per hour as stacked bars by severity', async () => {
    const { page } = admin;
    await page.getByTestId('chart-bucket-select').selectOption('hour');
    const bars = page.getByTestId('chart-bar');
    await expect.poll(() => bars.count()).toBeGreaterThan(0);
    await expect
      .poll(async () => {
        const counts = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
        return counts.reduce((a, b) => a + b, 0);
      })
      .toBe(6);
    const bySeverity = await bars.evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-severity')}:${e.getAttribute('data-count')}`),
    );
    expect(bySeverity).toEqual(expect.arrayContaining(['critical:1', 'error:1', 'info:1']));
    expect(await page.getByTestId('chart-svg').getAttribute('role')).toBe('img');
    expect(await page.getByTestId('chart-desc').textContent()).toMatch(
      /^6 events from .*: 1 critical, 1 error, 3 warning, 1 info\./,
    );
    expect(await page.getByTestId('chart-legend-item').count()).toBe(4);
    expect(new URL(page.url()).searchParams.get('bucket')).toBe('hour');
    await page.getByTestId('event-chart').screenshot({ path: join(shotsDir, 'alerts-chart.png') });
  });

  it('shows queue depths and the dead letter, and redrives it after asking', async () => {
    const { page } = admin;
    await page.getByTestId('tab-queues').click();
    const broken = page.locator('[data-testid="queue-row"][data-queue="channel:broken-slack"]');
    await broken.waitFor();
    expect(await broken.getByTestId('queue-dead').textContent()).toBe('1');
    expect(
      await page.getByTestId('queue-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-queue'))),
    ).toEqual(expect.arrayContaining(['events', 'notify', 'channel:ops-slack', 'channel:broken-slack']));
    await broken.getByTestId('toggle-dead-letters').click();
    const letter = broken.getByTestId('dead-letter');
    await letter.waitFor();
    expect(await letter.getByTestId('dead-letter-error').textContent()).toMatch(/500/);
    expect(await letter.getAttribute('data-event-id')).toBe(ids['Flaky webhook target']);
    expect(await letter.getByTestId('dead-letter-event-link').textContent()).toBe('Flaky webhook target');
    await broken.getByTestId('redrive').click();
    await broken.getByTestId('redrive-confirm').waitFor();
    expect(await broken.getByTestId('redrive-confirm').textContent()).toContain('1 dead letter');
    await shot(page, 'alerts-queues');
    const triedBefore = sink.hits.broken;
    await broken.getByTestId('redrive-confirm-yes').click();
    await expect
      .poll(() => page.getByTestId('redrive-result').textContent())
      .toBe('Moved 1 message back to channel:broken-slack.');
    // It is tried again (twice: maxReceiveCount 2), fails again, and is back among the dead letters.
    await expect.poll(() => sink.hits.broken, { timeout: 20_000 }).toBe(triedBefore + 2);
    await expect.poll(() => broken.getByTestId('queue-dead').textContent(), { timeout: 20_000 }).toBe('1');
  });

  it('tells someone who is not an admin that only an admin can redrive', async () => {
    const bob = await openPage(browser, cairn.url);
    try {
      await bob.page.goto('/alerts/queues');
      await signIn(bob.page, cairn.bob);
      const broken = bob.page.locator('[data-testid="queue-row"][data-queue="channel:broken-slack"]');
      await broken.getByTestId('toggle-dead-letters').click();
      await broken.getByText('Only an admin can redrive dead letters.').waitFor();
      expect(await bob.page.getByTestId('redrive').count()).toBe(0);
      expect(bob.errors).toEqual([]);
    } finally {
      await bob.context.close();
    }
  });

  it('creates a silence from key = value pairs, lists it, and expires it', async () => {
    const { page } = admin;
    await page.getByTestId('tab-silences').click();
    await page.getByTestId('silence-form').waitFor();
    await page.getByTestId('silences-empty').waitFor();
    await page.getByTestId('match-key').first().fill('service');
    await page.getByTestId('match-value').first().fill('payments');
    await page.getByTestId('add-match').click();
    await page.getByTestId('match-key').nth(1).fill('severity');
    await page.getByTestId('match-value').nth(1).fill('critical');
    expect(JSON.parse((await page.getByTestId('matcher-preview').textContent()) ?? '')).toEqual({
      service: ['payments'],
      severity: ['critical'],
    });
    // The raw JSON view starts from what the builder made.
    await page.getByTestId('matcher-mode-json').check();
    expect(JSON.parse(await page.getByTestId('matcher-json').inputValue())).toEqual({
      service: ['payments'],
      severity: ['critical'],
    });
    await page.getByTestId('matcher-mode-builder').check();
    await page.getByTestId('silence-comment').fill('Planned database maintenance');
    await shot(page, 'alerts-silence-form');
    await page.getByTestId('create-silence').click();

    const row = page.getByTestId('silence-row').first();
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('active');
    expect(await row.getByTestId('silence-match').textContent()).toBe('service = payments, severity = critical');
    expect(await row.getByTestId('silence-comment-text').textContent()).toBe('Planned database maintenance');
    const listed = await api.call<Json>('GET', '/api/alerts/silences?origin=api');
    expect(listed.items[0]).toMatchObject({ match: { service: ['payments'], severity: ['critical'] } });
    await shot(page, 'alerts-silences');

    await row.getByTestId('expire-silence').click();
    await expect.poll(() => row.getAttribute('data-state')).toBe('expired');
    expect(await row.getByTestId('expire-silence').count()).toBe(0);
    await page.reload();
    await expect.poll(() => page.getByTestId('silence-row').first().getAttribute('data-state')).toBe('expired');
  });

  it('creates a silence from a raw JSON filter policy and refuses invalid JSON', async () => {
    const { page } = admin;
    await page.getByTestId('matcher-mode-json').check();
    await page.getByTestId('matcher-json').fill('{ "severity": ["warning"');
    await page.getByTestId('create-silence').click();
    expect(await page.getByTestId('silence-error').textContent()).toMatch(/^Not valid JSON/);
    await page.getByTestId('matcher-json').fill('{ "team": [{ "prefix": "data-" }] }');
    await page.getByTestId('create-silence').click();
    await expect.poll(() => page.getByTestId('silence-row').count()).toBe(2);
    expect(await page.getByTestId('silence-row').first().getByTestId('silence-match').textContent()).toBe(
      '{"team":[{"prefix":"data-"}]}',
    );
  });

  it('shows the silences of cairn.yaml read-only, marked as from cairn.yaml', async () => {
    const { page } = admin;
    const row = page.locator('[data-testid="config-silence-row"][data-id="config:new-year-maintenance"]');
    await row.waitFor();
    expect(await row.getByTestId('silence-origin').textContent()).toBe('from cairn.yaml');
    expect(await row.getByTestId('silence-match').textContent()).toBe('service = nightly-batch');
    expect(await row.getAttribute('data-state')).toBe('scheduled');
    expect(await row.getByTestId('config-silence-window').textContent()).toContain('cron(0 3 1 1 ? 2099)');
    // 03:00 in Paris on 1 January is 02:00 UTC.
    expect(await row.locator('[data-testid="config-silence-next"] time').getAttribute('datetime')).toBe(
      '2099-01-01T02:00:00.000Z',
    );
    expect(await page.getByTestId('config-silences').getByTestId('expire-silence').count()).toBe(0);
    // The runtime list holds only the silences made through the API.
    expect(await page.getByTestId('silences-table').getByText('nightly-batch').count()).toBe(0);
    await shot(page, 'alerts-silences-config');
  });

  it('shows the year-end report as a table and downloads it as CSV', async () => {
    const { page } = admin;
    await page.getByTestId('tab-report').click();
    const year = new Date().getUTCFullYear();
    expect(await page.getByTestId('report-year').inputValue()).toBe(String(year));
    await page.getByTestId('report-table').waitFor();
    expect(await page.getByTestId('report-total').textContent()).toBe('6');

    await page.getByTestId('report-group-month').uncheck();
    await page.getByTestId('report-group-severity').check();
    await expect
      .poll(() => page.getByTestId('report-cell-severity').allTextContents())
      .toEqual(['critical', 'error', 'info', 'warning']);
    expect(await page.getByTestId('report-count').allTextContents()).toEqual(['1', '1', '1', '3']);
    expect(new URL(page.url()).search).toBe(`?year=${year}&groupBy=severity`);
    await shot(page, 'alerts-report');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    expect(download.suggestedFilename()).toBe(`cairn-events-${year}-by-severity.csv`);
    const csv = await readFile(await download.path());
    expect(csv.toString()).toBe('severity,count\r\ncritical,1\r\nerror,1\r\ninfo,1\r\nwarning,3\r\n');
  });

  it('fits a phone screen, in light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({
        baseURL: cairn.url,
        viewport: { width: 390, height: 844 },
        colorScheme,
      });
      try {
        const page = await context.newPage();
        await page.goto('/alerts');
        await signIn(page, cairn.admin);
        await expect.poll(() => page.getByTestId('event-row').count()).toBeGreaterThanOrEqual(5);
        await page.getByTestId('chart-bar').first().waitFor();
        await shot(page, `alerts-phone-${colorScheme}`);
        expect(await overflowing(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await page.getByTestId('event-title').nth(3).click();
        await page.getByTestId('event-raw-body').waitFor();
        await shot(page, `alerts-phone-event-${colorScheme}`);
        expect(await overflowing(page)).toEqual([]);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      } finally {
        await context.close();
      }
    }
  });

  it('keeps the reader in place when events arrive while scrolled down, behind a "new events" button', async () => {
    const context = await browser.newContext({ baseURL: cairn.url, viewport: { width: 1200, height: 360 } });
    try {
      const page = await context.newPage();
      await page.goto('/alerts');
      await signIn(page, cairn.admin);
      await page.getByTestId('event-row').first().waitFor();
      const before = await titles(page);
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const scrolled = await page.evaluate(() => window.scrollY);
      expect(scrolled).toBeGreaterThan(0);
      const lastRowTop = () =>
        page
          .getByTestId('event-row')
          .last()
          .evaluate((el) => el.getBoundingClientRect().top);
      const rowTop = await lastRowTop();

      await send({ title: 'Arrived while reading', severity: 'info', service: 'orders' });
      const button = page.getByTestId('show-new-events');
      await button.waitFor({ timeout: 15_000 });
      expect(await button.textContent()).toBe('Show 1 new event');
      expect(await titles(page)).toEqual(before);
      expect(await page.evaluate(() => window.scrollY)).toBe(scrolled);
      expect(await lastRowTop()).toBe(rowTop);
      await shot(page, 'alerts-new-events-button');

      await button.click();
      await expect.poll(() => titles(page).then((t) => t[0])).toBe('Arrived while reading');
      expect(await page.getByTestId('show-new-events').count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('ran without a script error or a dialog', () => {
    expect(admin.errors).toEqual([]);
    expect(dialogs).toEqual([]);
  });
});
