import type { Browser, BrowserContext, Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, launchBrowser, openPage, shot, signIn, startCairn, type RunningCairn } from './harness.ts';
import { createShare, download, pickFiles, textFile, waitUploaded } from './pages.ts';

describe('link shares in the browser', () => {
  let cairn: RunningCairn;
  let browser: Browser;
  let admin: { context: BrowserContext; page: Page; errors: string[] };
  const dialogs: string[] = [];
  const onDialog = (dialog: Dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  };
  const secret = textFile('plan.txt', 'The secret plan, version 2.\n');
  const evilName = '<img src=x onerror=alert(1)>.txt';
  const evil = textFile(evilName, 'harmless bytes\n');
  const password = 'correct horse battery staple';
  let passwordShareUrl = '';
  let evilShareUrl = '';

  beforeAll(async () => {
    cairn = await startCairn();
    browser = await launchBrowser();
    admin = await openPage(browser, cairn.url);
    admin.page.on('dialog', onDialog);
    await admin.page.goto('/');
    await signIn(admin.page, cairn.admin);
  });

  afterAll(async () => {
    await browser?.close();
    await cairn?.stop();
  });

  it('creates a password-protected link share', async () => {
    const { page } = admin;
    await pickFiles(page, [secret]);
    expect(await waitUploaded(page, secret.name)).toBe(100);
    await page.getByTestId('kind-link').check();
    await page.getByTestId('expiry').selectOption({ label: '1 day' });
    await page.getByTestId('share-password').fill(password);
    await shot(page, 'new-share-link');
    passwordShareUrl = await createShare(page);
    expect(passwordShareUrl).toMatch(/\/s\/[^/]+$/);
  });

  it('asks a visitor for the password and rejects a wrong one', async () => {
    const visitor = await openPage(browser, cairn.url);
    try {
      const { page } = visitor;
      page.on('dialog', onDialog);
      await page.goto(passwordShareUrl);
      await page.getByTestId('unlock-form').waitFor();
      expect(await page.getByTestId('download-file').count()).toBe(0);
      await shot(page, 'landing-password');
      await page.getByTestId('unlock-password').fill('wrong guess');
      await page.getByTestId('unlock-submit').click();
      await page.getByTestId('unlock-error').waitFor();
      expect(await page.getByTestId('unlock-error').textContent()).toMatch(/wrong password/i);
      await shot(page, 'landing-wrong-password');

      await page.getByTestId('unlock-password').fill(password);
      await page.getByTestId('unlock-submit').click();
      const link = page.getByRole('link', { name: `Download ${secret.name}` });
      await link.waitFor();
      await shot(page, 'landing-unlocked');
      const saved = await download(page, link);
      expect(saved.name).toBe(secret.name);
      expect(saved.bytes.toString()).toBe(secret.buffer.toString());
      expect(visitor.errors).toEqual([]);
    } finally {
      await visitor.context.close();
    }
  });

  it('shows a file named like an HTML tag literally, as text, everywhere', async () => {
    const { page } = admin;
    await page.getByTestId('share-another').click();
    await pickFiles(page, [evil]);
    expect(await waitUploaded(page, evilName)).toBe(100);
    expect(await page.getByTestId('upload-name').textContent()).toBe(evilName);
    evilShareUrl = await createShare(page);
    expect(await page.getByTestId('share-created').getByTestId('file-name').textContent()).toBe(evilName);

    await page.getByTestId('nav-shares').click();
    await page.getByTestId('share-card').first().waitFor();
    expect(await page.getByTestId('share-title').first().textContent()).toBe(evilName);

    await page.goto(evilShareUrl);
    await page.getByTestId('landing-share').waitFor();
    expect(await page.getByTestId('file-name').textContent()).toBe(evilName);
    expect(await page.locator('img').count()).toBe(0);
    await page.waitForTimeout(300);
    expect(dialogs).toEqual([]);
  });

  it('tells a visitor to wait after too many wrong share passwords', async () => {
    const { page } = admin;
    await page.goto('/');
    await pickFiles(page, [textFile('guarded.txt', 'guarded\n')]);
    await waitUploaded(page, 'guarded.txt');
    await page.getByTestId('share-password').fill('the right one');
    const url = await createShare(page);
    const visitor = await openPage(browser, cairn.url);
    try {
      const { page: guest } = visitor;
      await guest.goto(url);
      let message = '';
      for (let attempt = 0; attempt < 8 && !/Too many/.test(message); attempt++) {
        await guest.getByTestId('unlock-password').fill(`guess ${attempt}`);
        await guest.getByTestId('unlock-submit').click();
        await guest.getByTestId('unlock-submit').and(guest.locator(':enabled')).waitFor();
        message = (await guest.getByTestId('unlock-error').textContent()) ?? '';
      }
      expect(message).toMatch(/^Too many wrong passwords\. Try again in \d+ (minutes|seconds)\.$/);
    } finally {
      await visitor.context.close();
    }
  });

  it('tells someone to wait after too many failed sign-ins', async () => {
    const visitor = await openPage(browser, cairn.url);
    try {
      const { page } = visitor;
      await page.goto('/');
      let message = '';
      for (let attempt = 0; attempt < 8 && !/Too many/.test(message); attempt++) {
        await page.getByTestId('sign-in-username').fill('mallory');
        await page.getByTestId('sign-in-password').fill(`guess ${attempt}`);
        await page.getByTestId('sign-in-submit').click();
        await page.getByTestId('sign-in-submit').and(page.locator(':enabled')).waitFor();
        message = (await page.getByTestId('sign-in-error').textContent()) ?? '';
      }
      expect(message).toMatch(/^Too many sign-in attempts\. Try again in \d+ (minutes|seconds)\.$/);
      await shot(page, 'sign-in-rate-limited');
    } finally {
      await visitor.context.close();
    }
  });

  it('pages through my shares with "Load more"', async () => {
    const client = await apiClient(cairn, cairn.admin);
    const fileId = await client.upload('bulk.txt', Buffer.from('bulk\n'));
    for (let i = 0; i < 50; i++) await client.call('POST', '/api/shares', { fileIds: [fileId] });
    const { page } = admin;
    await page.goto('/shares');
    await page.getByTestId('load-more').waitFor();
    const firstPage = await page.getByTestId('share-card').count();
    expect(firstPage).toBeGreaterThan(0);
    await page.getByTestId('load-more').click();
    await expect.poll(() => page.getByTestId('share-card').count()).toBeGreaterThan(firstPage);
    const ids = await page
      .getByTestId('share-card')
      .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-share-id')));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('says a share does not exist for an unknown id', async () => {
    const { page } = admin;
    await page.goto('/s/no-such-share');
    const error = page.getByTestId('landing-error');
    await error.waitFor();
    expect(await error.getAttribute('data-status')).toBe('404');
    expect(admin.errors).toEqual([]);
  });
});
