/**
 * Identifiers shaped like the store's: purchaseId 20 digits, purchaseToken 20 characters
 * (`SANDBOXT000120004476` in the document), orderId up to 40.
 */
export class IdGenerator {
  #seq = 0;

  #next(): number {
    this.#seq = (this.#seq + 1) % 100_000;
    return this.#seq;
  }

  /** yyMMddHHmmssSSS (UTC) + 5-digit sequence = 20 digits. */
  purchaseId(now: number): string {
    const stamp = new Date(now).toISOString().replace(/\D/g, '').slice(2, 17);
    return `${stamp}${String(this.#next()).padStart(5, '0')}`;
  }

  /** SANDBOXT + 12 random digits; unique among `taken`. */
  purchaseToken(taken: (token: string) => boolean): string {
    for (;;) {
      const digits = String(Math.floor(Math.random() * 1e12)).padStart(12, '0');
      const token = `SANDBOXT${digits}`;
      if (!taken(token)) return token;
    }
  }

  orderId(now: number): string {
    return `ONESTORE${this.purchaseId(now)}`;
  }

  reset(): void {
    this.#seq = 0;
  }
}
