/**
 * Splits a log event into space-delimited fields the way metric filters read them: runs of spaces or
 * tabs separate fields; the characters between a pair of double quotes or of square brackets form one
 * field, without the quotes or brackets (`"GET /a HTTP/1.0"` → `GET /a HTTP/1.0`). An opening quote or
 * bracket that is never closed is an ordinary character.
 */
export function splitFields(line: string): string[] {
  const fields: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    let c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 34 || c === 91) {
      const close = line.indexOf(c === 34 ? '"' : ']', i + 1);
      if (close >= 0) {
        fields.push(line.slice(i + 1, close));
        i = close + 1;
        continue;
      }
    }
    const start = i;
    while (i < n) {
      c = line.charCodeAt(i);
      if (c === 32 || c === 9) break;
      i++;
    }
    fields.push(line.slice(start, i));
  }
  return fields;
}
