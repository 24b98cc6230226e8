import { describe, expect, it } from 'vitest';
import { cidrContains, parseCidr, parseIp } from './ip.ts';

describe('parseIp', () => {
  it('reads IPv4 and IPv6, compressed or with an IPv4 tail', () => {
    expect(parseIp('10.0.0.255')).toEqual({ version: 4, value: 0x0a0000ffn });
    expect(parseIp('::1')).toEqual({ version: 6, value: 1n });
    expect(parseIp('::')).toEqual({ version: 6, value: 0n });
    expect(parseIp('2001:DB8::1')?.value).toBe(0x20010db8000000000000000000000001n);
    expect(parseIp('::ffff:10.0.0.1')?.value).toBe(0xffff0a000001n);
    expect(parseIp('1:2:3:4:5:6:7:8')?.value).toBe(0x00010002000300040005000600070008n);
  });

  it('refuses what is not an address', () => {
    for (const text of [
      '',
      '10.0.0',
      '10.0.0.256',
      '10.0.0.01',
      '1.2.3.4.5',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7::8',
      'g::1',
      'fe80::1%eth0',
      'example.com',
    ]) {
      expect(parseIp(text), text).toBeNull();
    }
  });
});

describe('parseCidr and cidrContains', () => {
  it('masks host bits and tests membership', () => {
    const block = parseCidr('10.0.0.7/24');
    if (typeof block === 'string') throw new Error(block);
    expect(block.network).toBe(0x0a000000n);
    expect(cidrContains(block, { version: 4, value: 0x0a0000ffn })).toBe(true);
    expect(cidrContains(block, { version: 4, value: 0x0a000100n })).toBe(false);
  });

  it('handles /0 and full-length masks', () => {
    const all = parseCidr('0.0.0.0/0');
    const one = parseCidr('2001:db8::1/128');
    if (typeof all === 'string' || typeof one === 'string') throw new Error('unparsed');
    expect(cidrContains(all, { version: 4, value: 0xffffffffn })).toBe(true);
    expect(cidrContains(all, { version: 6, value: 1n })).toBe(false);
    expect(cidrContains(one, { version: 6, value: 0x20010db8000000000000000000000001n })).toBe(true);
    expect(cidrContains(one, { version: 6, value: 0x20010db8000000000000000000000002n })).toBe(false);
  });

  it('explains malformed blocks', () => {
    expect(parseCidr('10.0.0.0')).toMatch(/one '\/' required/);
    expect(parseCidr('10.0.0.0/x')).toMatch(/mask bits/);
    expect(parseCidr('::/129')).toMatch(/0-128/);
    expect(parseCidr('nope/8')).toMatch(/Nonstandard IP address: nope/);
  });
});
