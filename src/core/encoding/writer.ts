/** Appends big-endian fixed-width integers, varints and raw bytes into a buffer of known size. */
export class Writer {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private offset = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  u8(value: number): this {
    this.view.setUint8(this.offset, value);
    this.offset += 1;
    return this;
  }

  u16(value: number): this {
    this.view.setUint16(this.offset, value);
    this.offset += 2;
    return this;
  }

  u32(value: number): this {
    this.view.setUint32(this.offset, value);
    this.offset += 4;
    return this;
  }

  u64(value: bigint | number): this {
    this.view.setBigUint64(this.offset, BigInt(value));
    this.offset += 8;
    return this;
  }

  /** CompactSize-style varint, big-endian; see varintSize. */
  varint(value: number): this {
    if (value < 0xfd) return this.u8(value);
    if (value <= 0xffff) return this.u8(0xfd).u16(value);
    if (value <= 0xffffffff) return this.u8(0xfe).u32(value);
    return this.u8(0xff).u64(value);
  }

  raw(data: Uint8Array, length: number): this {
    if (data.length !== length)
      throw new RangeError(`expected ${length} bytes, got ${data.length}`);
    this.bytes.set(data, this.offset);
    this.offset += length;
    return this;
  }

  /** The finished encoding; throws if the precomputed size was wrong (a bug, not bad input). */
  finish(): Uint8Array {
    if (this.offset !== this.bytes.length) {
      throw new Error(`encoder wrote ${this.offset} of ${this.bytes.length} bytes`);
    }
    return this.bytes;
  }
}

export function varintSize(value: number): number {
  if (value < 0xfd) return 1;
  if (value <= 0xffff) return 3;
  if (value <= 0xffffffff) return 5;
  return 9;
}
