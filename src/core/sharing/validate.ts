import { z } from 'zod';
import { invalid } from '../errors.ts';
import { parseInput } from '../validation.ts';
import type { SharingLimits } from './limits.ts';

const createUpload = z.object({
  name: z.string().min(1).max(4096),
  size: z.number().int().nonnegative(),
  contentType: z.string().max(255).optional(),
});

export const parseCreateUpload = (input: unknown) => parseInput(createUpload, input);

const username = z.string().min(1).max(128);

export function parseCreateShare(input: unknown, limits: SharingLimits) {
  const schema = z
    .object({
      fileIds: z.array(z.string().min(1).max(64)).min(1, 'give at least one file id').max(limits.maxFilesPerShare),
      expiresInSeconds: z
        .number()
        .int()
        .min(60, 'must be at least 60 seconds')
        .max(limits.maxExpiresInSeconds, `must be at most ${limits.maxExpiresInSeconds} seconds`)
        .optional(),
      recipients: z.array(username).max(limits.maxRecipients).optional(),
      maxDownloads: z.number().int().min(1).max(1_000_000).nullable().optional(),
      password: z.string().min(4, 'must be at least 4 characters').max(1024).nullable().optional(),
    })
    .strict();
  const req = parseInput(schema, input);
  return {
    fileIds: [...new Set(req.fileIds)],
    expiresInSeconds: req.expiresInSeconds ?? limits.defaultExpiresInSeconds,
    recipients: [...new Set(req.recipients ?? [])],
    maxDownloads: req.maxDownloads ?? null,
    password: req.password ?? null,
  };
}

/** A whole number of seconds in [1, max], or the default when absent. */
export function parseSeconds(value: unknown, field: string, max: number, fallback: number): number {
  if (value === undefined || value === null) return Math.min(fallback, max);
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw invalid('CAIRN_INVALID_REQUEST', `${field}: must be a whole number of seconds from 1 to ${max}`);
  }
  return value;
}
