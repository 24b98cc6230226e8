/**
 * Reads back the raw MIME message nodemailer composed (what SES receives as Content.Raw.Data): the
 * top-level headers, and the text/plain and text/html parts decoded from quoted-printable or base64.
 * Enough for the messages Cairn sends (multipart/alternative, no attachments); not a general parser.
 */
export interface ParsedMail {
  headers: Record<string, string>;
  text: string;
  html: string;
}

function decode(body: string, encoding: string): string {
  const e = encoding.toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') {
    const unfolded = body.replace(/=\r?\n/g, '');
    const bytes: number[] = [];
    for (let i = 0; i < unfolded.length; i++) {
      const hex = unfolded.slice(i + 1, i + 3);
      if (unfolded[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else bytes.push(unfolded.charCodeAt(i));
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return body;
}

function headersOf(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}

export function parseMail(raw: string): ParsedMail {
  const split = raw.indexOf('\r\n\r\n');
  const headers = headersOf(raw.slice(0, split));
  const boundary = /boundary="?([^";]+)"?/.exec(headers['content-type'] ?? '')?.[1];
  if (!boundary) throw new Error(`not a multipart message: ${headers['content-type']}`);
  const parts = raw
    .slice(split + 4)
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((chunk) => {
      const body = chunk.replace(/^\r\n/, '').replace(/\r\n$/, '');
      const at = body.indexOf('\r\n\r\n');
      const h = headersOf(body.slice(0, at));
      return {
        type: h['content-type'] ?? '',
        text: decode(body.slice(at + 4), h['content-transfer-encoding'] ?? '7bit'),
      };
    });
  const part = (type: string) => parts.find((p) => p.type.startsWith(type))?.text ?? '';
  return { headers, text: part('text/plain'), html: part('text/html') };
}
