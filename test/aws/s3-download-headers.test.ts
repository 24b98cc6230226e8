/** The S3 download headers must say what the local object server says, for any name or type. */
import { describe, expect, it } from 'vitest';
import * as aws from '../../src/adapters/aws/s3-download-headers.ts';
import * as local from '../../src/adapters/local/object-store/object-handler.ts';

const names = ['report.pdf', 'Résumé "final".html', '..', '', 'a/b\\c.txt', 'émoji 🎉.png', '‮gnp.exe', '100%.txt'];
const types = ['text/html', 'image/svg+xml', 'image/png', 'application/pdf; charset=x', 'TEXT/PLAIN', 'video/ogg', ''];

describe('S3 download headers', () => {
  it('gives the same Content-Disposition as the local object server for every name', () => {
    for (const n of names) expect(aws.contentDisposition(n)).toBe(local.contentDisposition(n));
  });

  it('gives the same safe content type as the local object server for every type', () => {
    for (const t of types) expect(aws.safeContentType(t)).toBe(local.safeContentType(t));
  });
});
