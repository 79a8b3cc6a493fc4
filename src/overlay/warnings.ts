// What an unpack or diff could not carry over, reported instead of dropped in silence.
// Grouped by message so that a layer with 4000 ACL records gives one line, not 4000.

export class WarningList {
  private readonly byMessage = new Map<string, { count: number; first: string }>();

  add(message: string, path: string): void {
    const seen = this.byMessage.get(message);
    if (seen) seen.count++;
    else this.byMessage.set(message, { count: 1, first: path });
  }

  list(): string[] {
    return [...this.byMessage].map(([message, { count, first }]) =>
      count === 1 ? `${message}: ${first}` : `${message}: ${first} and ${count - 1} more`,
    );
  }
}
