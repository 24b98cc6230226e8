/**
 * Syslog messages: RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] MSG`) and the BSD format of
 * RFC 3164 (`<PRI>Mmm dd hh:mm:ss HOST TAG[pid]: MSG`). Parsing never throws: what does not fit either
 * format is kept whole as the message (facility user, severity notice, as RFC 3164 §4.3.3 suggests).
 */
export interface SyslogMessage {
  facility: number;
  severity: number;
  format: '5424' | '3164' | 'unknown';
  timestamp: string | undefined;
  hostname: string | undefined;
  appName: string | undefined;
  procId: string | undefined;
  msgId: string | undefined;
  structuredData: string | undefined;
  /** The MSG part. */
  message: string;
  /** The whole message as received (without framing). */
  raw: string;
}

export const FACILITIES: Record<string, number> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ntp: 12,
  security: 13,
  console: 14,
  'solaris-cron': 15,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};

const PRI = /^<(\d{1,3})>/;
const BSD_TIME = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) /;

export function parseSyslog(raw: string): SyslogMessage {
  const out: SyslogMessage = {
    facility: 1,
    severity: 5,
    format: 'unknown',
    timestamp: undefined,
    hostname: undefined,
    appName: undefined,
    procId: undefined,
    msgId: undefined,
    structuredData: undefined,
    message: raw,
    raw,
  };
  const pri = PRI.exec(raw);
  if (!pri || Number(pri[1]) > 191) return out;
  out.facility = Number(pri[1]) >> 3;
  out.severity = Number(pri[1]) & 7;
  const rest = raw.slice(pri[0].length);
  if (/^[1-9]\d{0,2} /.test(rest)) return parse5424(rest.slice(rest.indexOf(' ') + 1), out);
  return parse3164(rest, out);
}

function parse5424(text: string, out: SyslogMessage): SyslogMessage {
  const fields: string[] = [];
  let pos = 0;
  for (let i = 0; i < 5; i++) {
    const sp = text.indexOf(' ', pos);
    if (sp < 0) return { ...out, message: text.slice(pos) };
    fields.push(text.slice(pos, sp));
    pos = sp + 1;
  }
  const nil = (s: string | undefined) => (s === undefined || s === '-' ? undefined : s);
  out.format = '5424';
  out.timestamp = nil(fields[0]);
  out.hostname = nil(fields[1]);
  out.appName = nil(fields[2]);
  out.procId = nil(fields[3]);
  out.msgId = nil(fields[4]);
  const sdEnd = structuredDataEnd(text, pos);
  out.structuredData = nil(text.slice(pos, sdEnd));
  let msg = text.slice(sdEnd + 1);
  if (msg.charCodeAt(0) === 0xfeff) msg = msg.slice(1);
  out.message = sdEnd >= text.length ? '' : msg;
  return out;
}

/** Where STRUCTURED-DATA (`-` or `[id k="v" …]…`, with `\"`, `\\`, `\]` escapes in values) ends. */
function structuredDataEnd(text: string, pos: number): number {
  if (text[pos] === '-') return pos + 1;
  let i = pos;
  while (text[i] === '[') {
    let inValue = false;
    for (i++; i < text.length; i++) {
      const c = text[i];
      if (inValue && c === '\\') i++;
      else if (c === '"') inValue = !inValue;
      else if (!inValue && c === ']') break;
    }
    i++;
  }
  return i === pos ? (text.indexOf(' ', pos) < 0 ? text.length : text.indexOf(' ', pos)) : i;
}

function parse3164(text: string, out: SyslogMessage): SyslogMessage {
  const t = BSD_TIME.exec(text);
  if (!t) return { ...out, message: text };
  out.format = '3164';
  out.timestamp = t[0].trim();
  let rest = text.slice(t[0].length);
  const sp = rest.indexOf(' ');
  // HOSTNAME then TAG: a first word ending in ':' or '[' is already the tag (no host was sent).
  if (sp > 0 && !/[:\]]$/.test(rest.slice(0, sp))) {
    out.hostname = rest.slice(0, sp);
    rest = rest.slice(sp + 1);
  }
  const tag = /^([^\s:[\]]{1,48})(?:\[([^\]]{1,128})\])?: ?/.exec(rest);
  if (tag) {
    out.appName = tag[1];
    out.procId = tag[2];
    rest = rest.slice(tag[0].length);
  }
  out.message = rest;
  return out;
}
