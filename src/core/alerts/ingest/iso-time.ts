/**
 * `Date.prototype.toISOString` for a stream of times that mostly share the same second: at thousands
 * of webhooks a second it costs more than the rest of building the event, so the `YYYY-MM-DDTHH:MM:SS.`
 * prefix is kept and only the milliseconds are written.
 */
export class IsoTimeCache {
  private second = NaN;
  private prefix = '';

  format(date: Date): string {
    const ms = date.getTime();
    const second = Math.floor(ms / 1000);
    if (second !== this.second) {
      const iso = date.toISOString();
      // Years outside 0000–9999 are written with a sign and six digits: leave those to toISOString.
      if (iso.length !== 24) return iso;
      this.second = second;
      this.prefix = iso.slice(0, 20);
    }
    const frac = ms - second * 1000;
    return `${this.prefix}${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}Z`;
  }
}
