/**
 * Every read of the current time goes through a Clock, so schedules, delays and expiry can be
 * tested and the local runtime can start its clock at a chosen instant.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that runs at real speed from a chosen instant (`set`), or stands still (`freeze`).
 * The local runtime uses one; tests freeze it.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  constructor(private readonly source: Clock = systemClock) {}

  now(): Date {
    return new Date(this.frozenAt ?? this.source.now().getTime() + this.offsetMs);
  }

  /** From now on time flows from `instant`. */
  set(instant: Date): void {
    this.frozenAt = undefined;
    this.offsetMs = instant.getTime() - this.source.now().getTime();
  }

  /** Time stands at `instant` until set again. */
  freeze(instant: Date): void {
    this.frozenAt = instant.getTime();
  }

  advance(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  reset(): void {
    this.frozenAt = undefined;
    this.offsetMs = 0;
  }
}
