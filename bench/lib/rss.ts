/** Memory of a process from /proc (Linux): VmHWM is the peak resident set since it started. */
import { readFileSync } from 'node:fs';

export interface Rss {
  /** Peak resident set so far, in MB (10^6 bytes). */
  peakMB: number;
  /** Resident set now, in MB. */
  nowMB: number;
}

export function readRss(pid: number): Rss {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peakMB: (kB('VmHWM') * 1024) / 1e6, nowMB: (kB('VmRSS') * 1024) / 1e6 };
}
