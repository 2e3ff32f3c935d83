/**
 * Slows repeated failed sign-ins, per e-mail and per client address: a few failures are free, then
 * each further attempt waits twice as long as the one before (up to 15 minutes); a success clears
 * the e-mail's count. In memory: the local runtime is one process (Cognito does this on AWS).
 */
import type { Clock } from '../shared/clock';

interface Failures {
  count: number;
  lastAt: number;
}

const WINDOW_MS = 15 * 60_000;
const MAX_DELAY_MS = 15 * 60_000;

export class LoginThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(
    private readonly clock: Clock,
    /** Failures allowed before waiting: per e-mail, and per address (an address serves many people behind one NAT). */
    private readonly freeAttempts = { email: 5, address: 20 },
  ) {}

  /** Seconds to wait before `email` may try again from `address` (0: now). */
  retryAfterSeconds(email: string, address: string): number {
    const now = this.clock.now().getTime();
    const wait = Math.max(this.waitOf(`email:${email}`, this.freeAttempts.email, now), this.waitOf(`address:${address}`, this.freeAttempts.address, now));
    return Math.ceil(wait / 1000);
  }

  failed(email: string, address: string): void {
    const now = this.clock.now().getTime();
    for (const key of [`email:${email}`, `address:${address}`]) {
      const previous = this.current(key, now);
      this.failures.set(key, { count: (previous?.count ?? 0) + 1, lastAt: now });
    }
    if (this.failures.size > 10_000) this.forgetOld(now);
  }

  succeeded(email: string): void {
    this.failures.delete(`email:${email}`);
  }

  private current(key: string, now: number): Failures | undefined {
    const entry = this.failures.get(key);
    return entry && now - entry.lastAt < WINDOW_MS + MAX_DELAY_MS ? entry : undefined;
  }

  private waitOf(key: string, free: number, now: number): number {
    const entry = this.current(key, now);
    if (!entry || entry.count < free) return 0;
    const delay = Math.min(1000 * 2 ** (entry.count - free), MAX_DELAY_MS);
    return Math.max(0, entry.lastAt + delay - now);
  }

  private forgetOld(now: number): void {
    for (const [key, entry] of this.failures) if (now - entry.lastAt >= WINDOW_MS + MAX_DELAY_MS) this.failures.delete(key);
  }
}
