import { describe, expect, it } from 'vitest';
import { TicketLocks } from './ticketLocks';

describe('runqueue locks as ticket spinlocks', () => {
  it('a free lock is granted at once; a held one in arrival order, each handoff one transfer per CPU spinning', () => {
    const l = new TicketLocks(2, 100);
    expect(l.acquire(0, 0)).toBe(0);
    l.hold(0, 1000);
    // Three CPUs ask while it is held: the first is handed it after 1 transfer (it alone spins),
    // the next ones see those ahead still spinning.
    const a = l.acquire(0, 10);
    expect(a).toBe(1100);
    l.hold(0, a + 500);
    const b = l.acquire(0, 20);
    expect(b).toBe(1600 + 2 * 100);
    l.hold(0, b + 500);
    const c = l.acquire(0, 30);
    expect(c).toBe(2300 + 3 * 100);
    l.hold(0, c + 500);
    // Another lock is independent.
    expect(l.acquire(1, 30)).toBe(30);
    // Once everyone is through, the lock is free again at once.
    expect(l.acquire(0, 5000)).toBe(5000);
  });

  it('a second lock asked for later (nested, as double_rq_lock) counts only the CPUs still spinning then', () => {
    const l = new TicketLocks(2, 100);
    l.acquire(1, 0);
    l.hold(1, 1000);
    const w = l.acquire(1, 0);
    l.hold(1, w + 500);
    expect(w).toBe(1100);
    // Asked for at 1200 (after taking lock 0): the CPU granted at 1100 no longer spins.
    expect(l.acquire(1, 0, 1200)).toBe(1600 + 100);
  });
});
