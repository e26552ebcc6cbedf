// A cap on bytes held by several owners together (e.g. the partial uploads of all of a server's connections): each
// owner takes bytes before it holds them and gives them back when it lets go.

export class ByteBudget {
  private used = 0;

  /** `name` is how error messages refer to the limit (e.g. the option that sets it). */
  constructor(
    readonly limit: number,
    readonly name: string,
  ) {
    if (!(limit > 0) || !Number.isFinite(limit)) throw new RangeError(`${name} must be a positive number, got ${limit}`);
  }

  /** Bytes taken and not yet given back. */
  get held(): number {
    return this.used;
  }

  /** Takes `bytes` if they fit under the limit; false (nothing taken) if they do not. */
  tryTake(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}
