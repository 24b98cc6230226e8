/**
 * Syslog listeners on the configured (loopback by default) address: UDP, one message per datagram, and
 * TCP with both framings of RFC 6587 — octet counting (`LEN SP MSG`) and newline-terminated — chosen
 * per message, as rsyslog and syslog-ng send them. Oversized messages are cut and counted.
 */
import { createSocket, type Socket } from 'node:dgram';
import { type AddressInfo, createServer, type Server, type Socket as TcpSocket } from 'node:net';
import type { Logger } from '../../../ports/logger.ts';
import { parseSyslog, type SyslogMessage } from './syslog-parse.ts';

export interface SyslogServerOptions {
  host: string;
  udpPort?: number | undefined;
  tcpPort?: number | undefined;
  maxMessageBytes: number;
  logger: Logger;
  onMessage(message: SyslogMessage, receivedAt: number): void;
  /** A message longer than maxMessageBytes was cut. */
  onOversize?(): void;
  now?: () => number;
}

export interface RunningSyslog {
  udpPort: number | undefined;
  tcpPort: number | undefined;
  close(): Promise<void>;
}

export async function startSyslogServer(o: SyslogServerOptions): Promise<RunningSyslog> {
  const now = o.now ?? Date.now;
  const deliver = (bytes: Buffer) => {
    let end = bytes.length;
    while (end > 0 && (bytes[end - 1] === 10 || bytes[end - 1] === 13 || bytes[end - 1] === 0)) end--;
    if (end === 0) return;
    if (end > o.maxMessageBytes) {
      end = o.maxMessageBytes;
      o.onOversize?.();
    }
    o.onMessage(parseSyslog(bytes.toString('utf8', 0, end)), now());
  };
  let udp: Socket | undefined;
  let tcp: Server | undefined;
  const sockets = new Set<TcpSocket>();
  if (o.udpPort !== undefined) {
    udp = createSocket(o.host.includes(':') ? 'udp6' : 'udp4');
    udp.on('message', (msg) => deliver(msg));
    udp.on('error', (err) => o.logger.warn({ err: String(err) }, 'syslog UDP socket error'));
    await new Promise<void>((resolve, reject) => {
      udp!.once('error', reject);
      udp!.bind(o.udpPort, o.host, () => resolve());
    });
  }
  if (o.tcpPort !== undefined) {
    tcp = createServer((socket) => {
      sockets.add(socket);
      const framer = new TcpFramer(o.maxMessageBytes, deliver, () => o.onOversize?.());
      socket.on('data', (chunk) => framer.push(chunk));
      socket.on('end', () => framer.end());
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      tcp!.once('error', reject);
      tcp!.listen(o.tcpPort, o.host, () => resolve());
    });
  }
  o.logger.info({ host: o.host, udpPort: o.udpPort, tcpPort: o.tcpPort }, 'syslog listening');
  return {
    udpPort: udp ? (udp.address() as AddressInfo).port : undefined,
    tcpPort: tcp ? (tcp.address() as AddressInfo).port : undefined,
    async close() {
      udp?.close();
      for (const s of sockets) s.destroy();
      if (tcp) await new Promise<void>((resolve) => tcp!.close(() => resolve()));
    },
  };
}

/** RFC 6587 framing of one TCP stream: octet counting when a frame starts with `[1-9][0-9]* `, else LF. */
export class TcpFramer {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes of an oversized frame still to drop. */
  private skip = 0;
  /** Dropping up to the next LF (an oversized newline-framed message). */
  private skipLine = false;

  constructor(
    private readonly max: number,
    private readonly deliver: (message: Buffer) => void,
    private readonly oversize: () => void,
  ) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, this.buf.length);
        this.skip -= n;
        this.buf = this.buf.subarray(n);
        if (this.skip > 0) return;
      }
      if (this.skipLine) {
        const nl = this.buf.indexOf(10);
        if (nl < 0) {
          this.buf = Buffer.alloc(0);
          return;
        }
        this.skipLine = false;
        this.buf = this.buf.subarray(nl + 1);
      }
      if (this.buf.length === 0) return;
      if (!this.next()) return;
    }
  }

  end(): void {
    if (this.buf.length && !this.skipLine && this.skip === 0) this.deliver(this.buf);
    this.buf = Buffer.alloc(0);
  }

  /** Takes one frame off the buffer; false when more bytes are needed. */
  private next(): boolean {
    const b = this.buf;
    if (b[0]! >= 0x31 && b[0]! <= 0x39) {
      let i = 1;
      while (i < b.length && i < 11 && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
      if (i === b.length) return false;
      if (b[i] === 0x20) {
        const len = Number(b.toString('latin1', 0, i));
        const start = i + 1;
        if (len > this.max) {
          this.deliver(b.subarray(start, Math.min(b.length, start + this.max)));
          this.oversize();
          this.skip = len;
          this.buf = b.subarray(start);
          return true;
        }
        if (b.length < start + len) return false;
        this.deliver(b.subarray(start, start + len));
        this.buf = b.subarray(start + len);
        return true;
      }
    }
    const nl = b.indexOf(10);
    if (nl < 0) {
      if (b.length > this.max) {
        this.deliver(b.subarray(0, this.max));
        this.oversize();
        this.skipLine = true;
        this.buf = Buffer.alloc(0);
      }
      return false;
    }
    this.deliver(b.subarray(0, nl));
    this.buf = b.subarray(nl + 1);
    return true;
  }
}
