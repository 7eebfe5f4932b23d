/** An amount in coins with its unit, for prose and fields: "1 coin", "2.5 coins". */
import { coins } from '../../format.ts';

export function coinAmount(units: string | bigint): string {
  const text = coins(units);
  return `${text} ${text === '1' ? 'coin' : 'coins'}`;
}
