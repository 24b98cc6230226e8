import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSyslog } from '../../src/adapters/local/logs/syslog-parse.ts';
import { type AgentFixture, agentFixture, lineCounter } from './fixture.ts';

describe('syslog messages', () => {
  it('parses RFC 5424 with structured data and a BOM', () => {
    const m = parseSyslog(
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventID="1011" x="a\\]b"] \uFEFFAn application event',
    );
    expect(m).toMatchObject({
      format: '5424',
      facility: 20,
      severity: 5,
      timestamp: '2003-10-11T22:14:15.003Z',
      hostname: 'mymachine.example.com',
      appName: 'evntslog',
      procId: undefined,
      msgId: 'ID47',
      structuredData: '[exampleSDID@32473 iut="3" eventID="1011" x="a\\]b"]',
      message: 'An application event',
    });
  });

  it('parses RFC 5424 without structured data or message', () => {
    expect(parseSyslog('<34>1 2003-10-11T22:14:15.003Z host su - ID47 - BOM-less message')).toMatchObject({
      appName: 'su',
      structuredData: undefined,
      message: 'BOM-less message',
    });
    expect(parseSyslog('<34>1 - - - - - -').message).toBe('');
  });

  it('parses RFC 3164 with and without a hostname', () => {
    expect(parseSyslog("<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed for lonvick")).toMatchObject({
      format: '3164',
      facility: 4,
      severity: 2,
      hostname: 'mymachine',
      appName: 'su',
      procId: '123',
      message: "'su root' failed for lonvick",
    });
    expect(parseSyslog('<13>Feb  5 17:32:18 nginx: upstream timed out')).toMatchObject({
      hostname: undefined,
      appName: 'nginx',
      message: 'upstream timed out',
    });
  });

  it('keeps anything else whole', () => {
    expect(parseSyslog('no priority here')).toMatchObject({
      format: 'unknown',
      message: 'no priority here',
      facility: 1,
    });
    expect(parseSyslog('<999>too big').message).toBe('<999>too big');
  });
});

describe('syslog listeners on loopback', () => {
  let f: AgentFixture;
  afterEach(() => f?.cleanup());

  const setup = () =>
    agentFixture(() => ({
      groups: {
        '/syslog/app': { syslog: { appNames: ['app'] } },
        '/syslog/all': { syslog: { message: 'full' } },
      },
      syslog: { udpPort: 0, tcpPort: 0, maxMessageBytes: 1024 },
      metricFilters: [
        lineCounter('/syslog/app', 'AppErrors', '"ERROR"'),
        lineCounter('/syslog/all', 'All'),
        lineCounter('/syslog/all', 'Full', '"<11>1"'),
      ],
    }));

  const settle = async (check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i++) {
      await new Promise((r) => setTimeout(r, 20));
      f.agent.ingest('/syslog/all', []); // commits what arrived
    }
  };

  it('takes one message per UDP datagram', async () => {
    f = await setup();
    const sock = createSocket('udp4');
    for (const m of [
      '<11>1 2026-03-01T12:00:00Z h app - - - ERROR disk full\n',
      '<14>Mar  1 12:00:00 h other: ERROR not routed to app',
    ])
      await new Promise<void>((r) => sock.send(m, f.agent.syslog.udpPort!, '127.0.0.1', () => r()));
    sock.close();
    await settle(() => f.sum('All') === 2);
    expect([f.sum('All'), f.sum('AppErrors'), f.sum('Full')]).toEqual([2, 1, 1]);
  });

  it('splits a TCP stream by octet counting and by newlines, and cuts oversized messages', async () => {
    f = await setup();
    const msgs = [
      '<11>1 2026-03-01T12:00:00Z h app - - - ERROR one',
      '<11>1 2026-03-01T12:00:00Z h app - - - ERROR two\nwith a newline inside',
    ];
    const framed =
      msgs.map((m) => `${Buffer.byteLength(m)} ${m}`).join('') + '<14>Mar  1 12:00:00 h app: ERROR three\n';
    const huge = '<14>Mar  1 12:00:00 h app: ERROR ' + 'y'.repeat(3000) + '\n<14>Mar  1 12:00:00 h app: ok\n';
    const sock = connect(f.agent.syslog.tcpPort!, '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    // Split mid-frame on purpose: framing must not depend on packet boundaries.
    const all = framed + huge;
    for (let i = 0; i < all.length; i += 37) sock.write(all.slice(i, i + 37));
    sock.end();
    await settle(() => f.sum('All') === 5);
    expect([f.sum('All'), f.sum('AppErrors')]).toEqual([5, 4]);
    expect(f.agent.metrics.counters().syslog_truncated).toBe(1);
  });
});
