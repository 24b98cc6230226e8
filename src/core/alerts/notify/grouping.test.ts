import { describe, expect, it } from 'vitest';
import { afterFlush, newGroup, pendingStatus, repeatDue, withEvent, type GroupTiming } from './grouping.ts';

const t: GroupTiming = { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 4 * 3600_000 };
const at = (s: number) => new Date(Date.UTC(2026, 2, 1, 10, 0, s));
const firing = (id: string, fp = 'a') => ({ eventId: id, fingerprint: fp, status: 'firing' as const });
const resolved = (id: string, fp = 'a') => ({ eventId: id, fingerprint: fp, status: 'resolved' as const });

describe('grouping', () => {
  it('holds a new group for groupWait, then batches until groupInterval after a send', () => {
    let g = withEvent(newGroup('g', 'r', 'slack', 'k', at(0)), firing('e1'), at(0), t);
    g = withEvent(g, firing('e2'), at(10), t);
    expect(g.nextFlushAt).toEqual(at(30));
    const snapshot = g;
    g = withEvent(g, firing('e3'), at(31), t); // arrives while the flush runs
    const after = afterFlush(g, snapshot, true, at(30), t)!;
    expect(after).toMatchObject({
      sent: 1,
      lastSentAt: at(30),
      nextFlushAt: at(330),
      members: { a: { notified: true, lastEventId: 'e3' } },
    });
  });

  it('schedules a reminder at repeatInterval once nothing is pending', () => {
    const g = withEvent(newGroup('g', 'r', 'slack', 'k', at(0)), firing('e1'), at(0), t);
    const after = afterFlush(g, g, true, at(30), t)!;
    expect(after.nextFlushAt).toEqual(new Date(at(30).getTime() + t.repeatIntervalMs));
    expect(repeatDue(after, after.nextFlushAt!, t)).toBe(true);
    expect(repeatDue(after, at(40), t)).toBe(false);
  });

  it('makes a resolve of an announced alert due at once, and forgets the group after sending it', () => {
    const g0 = withEvent(newGroup('g', 'r', 'pd', 'k', at(0)), firing('e1'), at(0), t);
    const sent = afterFlush(g0, g0, true, at(30), t)!;
    const g = withEvent(sent, resolved('e2'), at(60), t);
    expect(g.nextFlushAt).toEqual(at(60));
    expect(pendingStatus(g, ['a'])).toBe('resolved');
    expect(afterFlush(g, g, true, at(60), t)).toBeNull();
  });

  it('has nothing to announce when the only news is a resolve of something never announced', () => {
    let g = withEvent(newGroup('g', 'r', 'slack', 'k', at(0)), firing('e1'), at(0), t);
    g = withEvent(g, resolved('e2'), at(5), t);
    expect(g.nextFlushAt).toEqual(at(30));
    expect(pendingStatus(g, ['a'])).toBeNull();
    expect(afterFlush(g, g, false, at(30), t)).toBeNull();
  });

  it('leaves a flush already committed by another flusher alone', () => {
    const g = withEvent(newGroup('g', 'r', 'slack', 'k', at(0)), firing('e1'), at(0), t);
    const committed = afterFlush(g, g, true, at(30), t)!;
    expect(afterFlush(committed, g, true, at(31), t)).toBe(committed);
  });
});
