/** Newline-delimited JSON: rows in, batches out, across text pieces that split lines anywhere. */
import type { Row } from '../../../ports/backups.ts';

export class NdjsonBatcher {
  private rest = '';
  private batch: Row[] = [];
  rows = 0;

  constructor(private readonly batchRows: number) {}

  /** Returns the batches that filled up with this piece of text. */
  push(text: string): Row[][] {
    const out: Row[][] = [];
    let start = 0;
    const all = this.rest + text;
    for (let nl = all.indexOf('\n'); nl !== -1; nl = all.indexOf('\n', start)) {
      this.add(all.slice(start, nl));
      start = nl + 1;
      if (this.batch.length >= this.batchRows) {
        out.push(this.batch);
        this.batch = [];
      }
    }
    this.rest = all.slice(start);
    return out;
  }

  /** The last batch; a final line without its newline counts too. */
  end(): Row[] {
    if (this.rest.length > 0) this.add(this.rest);
    this.rest = '';
    const last = this.batch;
    this.batch = [];
    return last;
  }

  private add(line: string) {
    if (line.length === 0) return;
    const row = JSON.parse(line) as unknown;
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      throw new Error(`line ${this.rows + 1} is not a JSON object`);
    this.batch.push(row as Row);
    this.rows += 1;
  }
}

/** Newline bytes in a buffer (rows in a chunk: every row ends with one). */
export function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n += 1;
  return n;
}
