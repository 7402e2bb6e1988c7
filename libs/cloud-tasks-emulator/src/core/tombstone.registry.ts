/**
 * Names remembered for a while after their resource ended (Cloud Tasks refuses a task id for ~1 hour after the task
 * was deleted or executed). Time is the emulator's virtual clock; entries expire in insertion order.
 */
export class TombstoneRegistry {
  private readonly entries = new Map<string, number>();

  constructor(private readonly ttlMs: number) {}

  add(name: string, now: number): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(name);
    this.entries.set(name, now + this.ttlMs);
    this.sweep(now);
  }

  has(name: string, now: number): boolean {
    const expiresAt = this.entries.get(name);
    if (expiresAt === undefined) return false;
    if (expiresAt > now) return true;
    this.entries.delete(name);
    return false;
  }

  delete(name: string): void {
    this.entries.delete(name);
  }

  /** Forgets every name starting with `prefix`. */
  deletePrefix(prefix: string): void {
    for (const name of this.entries.keys()) if (name.startsWith(prefix)) this.entries.delete(name);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Each remembered name with the time it was added (what `add` was given), oldest first. */
  added(): [string, number][] {
    return [...this.entries].map(([name, expiresAt]) => [name, expiresAt - this.ttlMs]);
  }

  private sweep(now: number): void {
    for (const [name, expiresAt] of this.entries) {
      if (expiresAt > now) break;
      this.entries.delete(name);
    }
  }
}
