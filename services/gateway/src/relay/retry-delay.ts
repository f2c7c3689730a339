/** Capped exponential delays with full jitter, counting consecutive failures until `reset`. */
export class RetryDelay {
  failures = 0;

  constructor(
    private readonly baseMs: number,
    private readonly capMs: number,
  ) {}

  next(): number {
    this.failures += 1;
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.failures - 1, 30));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  reset(): void {
    this.failures = 0;
  }
}
