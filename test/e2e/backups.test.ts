import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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

type Json = Record<string, any>;
const ROWS = 4321;
const CHUNK_ROWS = 500;
const CHUNKS = Math.ceil(ROWS / CHUNK_ROWS);

async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await fullShot(page, name);
}

/** A legacy SQLite database with an `orders` table of ROWS rows. */
function legacyDb(path: string) {
  const db = new Database(path);
  db.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, total REAL, updated_at TEXT)');
  const insert = db.prepare('INSERT INTO orders (id, customer, total, updated_at) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= ROWS; i++)
      insert.run(i, `customer-${i % 97}`, (i * 7.31) % 1000, new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString());
  })();
  db.close();
}

describe('the Backups page in the browser', () => {
  let cairn: RunningCairn;
  let browser: Browser;
  let dir = '';
  let admin: { context: BrowserContext; page: Page; errors: string[] };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-e2e-backups-'));
    legacyDb(join(dir, 'legacy.db'));
    const config = join(dir, 'cairn.yaml');
    await writeFile(
      config,
      [
        'backups:',
        '  jobs:',
        '    orders:',
        `      source: { type: sqlite, path: "${join(dir, 'legacy.db')}", table: orders }`,
        '      mode: incremental',
        '      cursor: { column: updated_at }',
        "      schedule: { incremental: 'cron(0 3 * * ? *)', timeZone: Europe/Paris }",
        `      hot: { sqlite: "${join(dir, 'hot.db')}" }`,
        `      cold: { chunkRows: ${CHUNK_ROWS} }`,
        '      concurrency: 2',
      ].join('\n'),
    );
    cairn = await startCairn({ env: { CAIRN_CONFIG: config } });
    browser = await launchBrowser();
    admin = await openPage(browser, cairn.url);
    await admin.page.goto('/backups');
    await signIn(admin.page, cairn.admin);
  });

  afterAll(async () => {
    await browser?.close();
    await cairn?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists the job from cairn.yaml, reached from the top bar', async () => {
    const { page } = admin;
    await page.goto('/');
    await page.getByTestId('nav-backups').click();
    await page.getByTestId('backups-page').waitFor();
    const job = page.locator('[data-testid="backup-job"][data-job="orders"]');
    await job.waitFor();
    expect(await job.getByTestId('backup-source-type').textContent()).toBe('sqlite');
    expect(await job.getByTestId('backup-job-mode').textContent()).toContain('incremental');
    expect(await job.getByTestId('backup-schedule').textContent()).toContain('cron(0 3 * * ? *)');
    expect(await job.textContent()).toContain('Never run');
    await shot(page, 'backups-jobs');
  });

  it('runs the job and shows its progress until done', async () => {
    const { page } = admin;
    const job = page.locator('[data-testid="backup-job"][data-job="orders"]');
    await job.getByTestId('backup-job-link').click();
    await page.getByTestId('backup-runs').getByText('No runs yet.').waitFor();
    await job.getByTestId('backup-run-now').click();
    const progress = job.getByTestId('backup-progress');
    await progress.waitFor();
    await progress.and(page.locator('[data-status="succeeded"]')).waitFor({ timeout: 60_000 });
    expect(await progress.getByTestId('backup-progress-chunks').textContent()).toBe(`${CHUNKS} of ${CHUNKS} chunks`);
    expect(await progress.getByTestId('backup-progress-rows').getAttribute('data-rows')).toBe(String(ROWS));
    const bar = progress.getByTestId('backup-progress-bar');
    expect(await bar.evaluate((el) => [(el as HTMLProgressElement).value, (el as HTMLProgressElement).max])).toEqual([
      CHUNKS,
      CHUNKS,
    ]);
    // The job's last run and the history follow.
    await job.getByTestId('backup-last-run').and(page.locator('[data-status="succeeded"]')).waitFor();
    expect(await job.getByTestId('backup-last-rows').textContent()).toContain('4,321');
    const run = page.getByTestId('backup-run').first();
    await run.and(page.locator('[data-status="succeeded"]')).waitFor();
    expect(await run.getByTestId('backup-run-rows').getAttribute('data-rows')).toBe(String(ROWS));
    expect(await run.getByTestId('backup-run-duration').textContent()).not.toBe('—');
    await shot(page, 'backups-run-done');
  });

  it('verifies the finished run', async () => {
    const { page } = admin;
    const run = page.getByTestId('backup-run').first();
    await run.getByTestId('backup-verify').click();
    const result = run.getByTestId('backup-verify-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    expect(await result.textContent()).toContain(`${CHUNKS} chunks, 4,321 rows`);
    expect(await run.getByTestId('backup-run-verified').getAttribute('data-ok')).toBe('true');
    // The API kept the result on the run.
    const api = await apiClient(cairn, cairn.admin);
    const runs = await api.call<Json>('GET', '/api/backups/jobs/orders/runs');
    expect(runs.items[0].verify.ok).toBe(true);
    await shot(page, 'backups-verified');
  });

  it('runs a full run and pages the history', async () => {
    const { page } = admin;
    const job = page.locator('[data-testid="backup-job"][data-job="orders"]');
    await job.getByTestId('backup-run-full').click();
    const progress = job.getByTestId('backup-progress');
    await page.waitForFunction(
      (first) => document.querySelector('[data-testid="backup-progress"]')?.getAttribute('data-run') !== first,
      await page.getByTestId('backup-run').first().getAttribute('data-run'),
    );
    await progress.and(page.locator('[data-status="succeeded"]')).waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('backup-run').count()).toBe(2);
    expect(await page.getByTestId('backup-run').first().textContent()).toContain('full');
    await shot(page, 'backups-history');

    // Nine more runs through the API: the history shows ten, then the rest on "Load more".
    const api = await apiClient(cairn, cairn.admin);
    for (let i = 0; i < 9; i++) {
      const started = await api.call<Json>('POST', '/api/backups/jobs/orders/run', {});
      for (;;) {
        const run = await api.call<Json>('GET', `/api/backups/runs/${started.id}`);
        if (run.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    await page.reload();
    await expect.poll(() => page.getByTestId('backup-run').count()).toBe(10);
    await page.getByTestId('backup-runs-more').click();
    await expect.poll(() => page.getByTestId('backup-run').count()).toBe(11);
    expect(await page.getByTestId('backup-runs-more').count()).toBe(0);
    await shot(page, 'backups-paged');
    expect(admin.errors).toEqual([]);
  });
});
