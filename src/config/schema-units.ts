import { z } from 'zod';
import { parseByteSize, parseDurationSeconds } from '../core/units.ts';

/** Durations (`90s`, `15m`, `7d`, or seconds) and sizes (`256KiB`, `5GiB`, or bytes) in cairn.yaml. */
export const seconds = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const s = parseDurationSeconds(v);
  if (s === null)
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration: use seconds or e.g. 90s, 15m, 12h, 7d` });
  return s ?? 0;
});
export const bytes = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const b = parseByteSize(v);
  if (b === null)
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a size: use bytes or e.g. 512KiB, 100MB, 5GiB` });
  return b ?? 0;
});
