/** Page helpers shared by the browser tests: uploading (picker and drag-and-drop) and downloading. */
import { readFile } from 'node:fs/promises';
import type { Locator, Page } from 'playwright-core';

export interface TestFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export const textFile = (name: string, text: string): TestFile => ({
  name,
  mimeType: 'text/plain',
  buffer: Buffer.from(text),
});

export async function pickFiles(page: Page, files: TestFile[]): Promise<void> {
  await page.getByTestId('file-input').setInputFiles(files);
}

/** Drops a file onto the drop zone the way a browser does: dragenter, dragover, drop with a DataTransfer. */
export async function dropFile(page: Page, file: TestFile): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ({ name, mimeType, bytes }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type: mimeType }));
      return dt;
    },
    { name: file.name, mimeType: file.mimeType, bytes: [...file.buffer] },
  );
  const zone = page.getByTestId('drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
}

export const uploadItem = (page: Page, name: string): Locator =>
  page.getByTestId('upload-item').filter({ has: page.getByTestId('upload-name').getByText(name, { exact: true }) });

/** Waits until the file's upload is confirmed, and returns the highest percentage its bar showed. */
export async function waitUploaded(page: Page, name: string): Promise<number> {
  const item = uploadItem(page, name);
  await item.and(page.locator('[data-status="ready"]')).waitFor({ timeout: 30_000 });
  return item.getByTestId('upload-progress').evaluate((el) => (el as HTMLProgressElement).value);
}

/** Clicks a download link and returns the name and bytes the browser saved. */
export async function download(page: Page, link: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [event] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = await event.path();
  return { name: event.suggestedFilename(), bytes: await readFile(path) };
}

export async function createShare(page: Page): Promise<string> {
  await page.getByTestId('create-share').click();
  const url = await page.getByTestId('share-created').getByTestId('share-url').inputValue();
  return url;
}
