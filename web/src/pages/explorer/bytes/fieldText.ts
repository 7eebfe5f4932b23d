/** A laid-out field's value as a person reads it: coins, a date, an address, a target. */
import { encodeAddress } from '../../../../../src/core/address.ts';
import { toHex } from '../../../../../src/core/bytes.ts';
import type { ByteField } from '../../../../../src/core/encoding/fieldLayout.ts';
import { decodeBits } from '../../../../../src/core/pow.ts';
import { coinAmount } from '../coinAmount.ts';

export function fieldText(field: ByteField, addressPrefix: string): string {
  const { name, value } = field;
  if (value instanceof Uint8Array) {
    return name === 'from' || name === 'to' ? encodeAddress(value, addressPrefix) : toHex(value);
  }
  switch (name) {
    case 'amount':
    case 'fee':
      return `${coinAmount(BigInt(value))} (${value} base units)`;
    case 'timestamp_ms':
      return `${value} = ${new Date(Number(value)).toISOString()}`;
    case 'bits': {
      const target = decodeBits(Number(value)).target.toString(16).padStart(64, '0');
      return `0x${Number(value).toString(16).padStart(8, '0')} → target ${target}`;
    }
    case 'transaction type':
      return value === 0 ? '00: a coinbase' : '01: a transfer';
    default:
      return String(value);
  }
}
