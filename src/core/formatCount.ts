/**
 * A whole count as a person reads it in a log line or the terminal: 4000 → "4,000", grouped by
 * thousands as toLocaleString('en-US') writes it.
 *
 * PERF: a process's first toLocaleString builds ICU's set of locales (≈ 113 M instructions
 * under valgrind; the second call 0.03 ms). A first call in a fresh process (node -e, 4 of each
 * alternated, load 21): toLocaleString 24–36 ms of CPU, this 0.2–0.6 ms. A node paid it on its
 * main thread in its first sync progress line (a sync past 1 s: src/p2p/syncLog.ts) and its
 * first mined block's line (src/node/wireEvents.ts); nothing at its start uses Intl before.
 */
export function formatCount(count: number): string {
  const digits = Math.round(Math.abs(count)).toString();
  if (!/^\d+$/.test(digits)) return count.toLocaleString('en-US'); // past 1e21: exponent form
  const head = digits.length % 3 || 3;
  let text = digits.slice(0, head);
  for (let at = head; at < digits.length; at += 3) text += `,${digits.slice(at, at + 3)}`;
  return `${count < 0 && text !== '0' ? '-' : ''}${text}`;
}
