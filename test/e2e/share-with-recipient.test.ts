import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, shot, signIn, startCairn, type RunningCairn } from './harness.ts';
import { createShare, download, dropFile, pickFiles, textFile, waitUploaded, type TestFile } from './pages.ts';

describe('sharing files with a recipient in the browser', () => {
  let cairn: RunningCairn;
  let browser: Browser;
  let admin: { context: BrowserContext; page: Page; errors: string[] };
  let bob: { context: BrowserContext; page: Page; errors: string[] };
  let shareUrl = '';
  const report: TestFile = {
    name: 'report.bin',
    mimeType: 'application/octet-stream',
    buffer: randomBytes(3 * 1024 * 1024),
  };
  const notes = textFile('notes.txt', 'Meeting notes: ship it.\n');

  beforeAll(async () => {
    cairn = await startCairn();
    browser = await launchBrowser();
    admin = await openPage(browser, cairn.url);
    bob = await openPage(browser, cairn.url);
  });

  afterAll(async () => {
    await browser?.close();
    await cairn?.stop();
  });

  it('refuses a wrong password on the sign-in page', async () => {
    const { page } = admin;
    await page.goto('/');
    await page.getByTestId('sign-in-form').waitFor();
    await shot(page, 'sign-in');
    await page.getByTestId('sign-in-username').fill('admin');
    await page.getByTestId('sign-in-password').fill('not the password');
    await page.getByTestId('sign-in-submit').click();
    await expect.poll(() => page.getByTestId('sign-in-error').textContent()).toBe('Wrong username or password');
  });

  it('signs the admin in and shows the name in the top bar', async () => {
    await signIn(admin.page, cairn.admin);
    expect(await admin.page.getByTestId('current-user').textContent()).toBeTruthy();
    await admin.page.getByTestId('new-share-page').waitFor();
  });

  it('uploads two files with a progress bar each, one picked and one dropped', async () => {
    const { page } = admin;
    await pickFiles(page, [report]);
    await dropFile(page, notes);
    expect(await waitUploaded(page, report.name)).toBe(100);
    expect(await waitUploaded(page, notes.name)).toBe(100);
    expect(await page.getByTestId('upload-item').count()).toBe(2);
    expect(await page.getByTestId('upload-percent').allTextContents()).toEqual(['Uploaded', 'Uploaded']);
  });

  it('shares both files with bob through the recipient picker', async () => {
    const { page } = admin;
    await page.getByTestId('kind-recipients').check();
    await page.getByTestId('recipient-search').fill('bo');
    const option = page.locator('[data-testid="recipient-option"][data-username="bob"]');
    await option.waitFor();
    expect(await option.textContent()).toContain('Bob Recipient');
    await shot(page, 'new-share-picker');
    await option.click();
    expect(await page.getByTestId('recipient-chip').allTextContents()).toEqual([
      expect.stringContaining('Bob Recipient'),
    ]);
    shareUrl = await createShare(page);
    expect(shareUrl).toMatch(new RegExp(`^${cairn.url.replace(/\./g, '\\.')}/s/[^/]+$`));
    await page.getByTestId('copy-url').click();
    await expect.poll(() => page.getByTestId('copy-url').textContent()).toBe('Copied');
    await shot(page, 'share-created');
  });

  it('shows the share under "Shared with me" once bob signs in', async () => {
    const { page } = bob;
    await page.goto('/received');
    await signIn(page, cairn.bob);
    const card = page.getByTestId('received-card');
    await card.first().waitFor();
    expect(await card.count()).toBe(1);
    expect(await card.getByTestId('file-name').allTextContents()).toEqual(
      expect.arrayContaining([report.name, notes.name]),
    );
    expect(await card.getByTestId('download-all').textContent()).toBe('Download all (zip)');
    await shot(page, 'shared-with-me');
  });

  it('lets bob download one file with exactly the uploaded bytes', async () => {
    const { page } = bob;
    const link = page.getByRole('link', { name: `Download ${report.name}` });
    const saved = await download(page, link);
    expect(saved.name).toBe(report.name);
    expect(saved.bytes.equals(report.buffer)).toBe(true);
  });

  it('asks a visitor to sign in on the landing page of a recipients-only share', async () => {
    const visitor = await openPage(browser, cairn.url);
    try {
      const { page } = visitor;
      await page.goto(shareUrl);
      await page.getByRole('heading', { name: 'Sign in to open this share' }).waitFor();
      expect(await page.getByTestId('file-row').count()).toBe(0);
      await shot(page, 'landing-sign-in');
      await signIn(page, cairn.bob);
      await page.getByTestId('landing-share').waitFor();
      expect(await page.getByTestId('file-name').allTextContents()).toEqual(
        expect.arrayContaining([report.name, notes.name]),
      );
      expect(await page.getByTestId('download-all').getAttribute('href')).toBe(
        `${new URL(shareUrl).pathname}/download`,
      );
      expect(visitor.errors).toEqual([]);
    } finally {
      await visitor.context.close();
    }
  });

  it("shows bob's download in the admin's audit log", async () => {
    const { page } = admin;
    await page.getByTestId('nav-shares').click();
    const card = page.getByTestId('share-card').first();
    await card.waitFor();
    expect(await card.getByTestId('download-count').textContent()).toBe('1');
    await card.getByTestId('toggle-audit-log').click();
    const row = card.getByTestId('audit-row');
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.getByTestId('audit-actor').textContent()).toBe('bob');
    expect(await row.getByTestId('audit-file').textContent()).toBe(report.name);
    expect(await row.getByTestId('audit-ip').textContent()).toMatch(/127\.0\.0\.1/);
    await shot(page, 'my-shares-audit');
  });

  it('revokes the share after asking for confirmation', async () => {
    const { page } = admin;
    const card = page.getByTestId('share-card').first();
    await card.getByTestId('revoke').click();
    await card.getByTestId('revoke-confirm').waitFor();
    await shot(page, 'my-shares-revoke-confirm');
    await card.getByTestId('revoke-confirm-yes').click();
    await expect.poll(() => card.getByTestId('share-status').getAttribute('data-status')).toBe('revoked');
    await page.reload();
    await expect
      .poll(() => page.getByTestId('share-card').first().getByTestId('share-status').getAttribute('data-status'))
      .toBe('revoked');
    expect(await page.getByTestId('revoke').count()).toBe(0);
    await shot(page, 'my-shares-revoked');
  });

  it('refuses bob a download once the share is revoked', async () => {
    const { page, context } = bob;
    const fileUrl = await page.getByRole('link', { name: `Download ${notes.name}` }).getAttribute('href');
    const res = await context.request.get(new URL(fileUrl!, cairn.url).toString());
    expect(res.status()).toBe(410);
    expect((await res.json()).error.message).toBeTruthy();

    await page.goto(new URL(shareUrl).pathname);
    const error = page.getByTestId('landing-error');
    await error.waitFor();
    expect(await error.getAttribute('data-status')).toBe('410');
    await shot(page, 'landing-revoked');

    await page.goto('/received');
    await page.getByTestId('received-page').waitFor();
    await page.locator('[data-testid="received-card"], [data-testid="empty"]').first().waitFor();
    expect(await page.getByTestId('download-file').count()).toBe(0);
    expect(await page.getByTestId('download-all').count()).toBe(0);
  });

  it('ran without a script error in either browser', () => {
    expect(admin.errors).toEqual([]);
    expect(bob.errors).toEqual([]);
  });
});
