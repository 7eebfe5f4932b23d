import { describe, expect, it } from 'vitest';
import { takesCappedBlocks, versionAtLeast } from '../../../src/p2p/capabilities.js';

describe('versionAtLeast', () => {
  it('compares MAJOR.MINOR.PATCH as numbers, ignoring what follows', () => {
    expect(versionAtLeast('0.2.0', '0.2.0')).toBe(true);
    expect(versionAtLeast('0.10.0', '0.2.0')).toBe(true);
    expect(versionAtLeast('1.0.0', '0.2.0')).toBe(true);
    expect(versionAtLeast('0.2.1-dev', '0.2.0')).toBe(true);
    expect(versionAtLeast('0.1.9', '0.2.0')).toBe(false);
    expect(versionAtLeast('0.1.10', '0.1.9')).toBe(true);
  });

  it('counts anything else as older than every version', () => {
    for (const version of [undefined, '', 'blockyard', '0.2', 'v0.2.0', '0.2.x', '1234567890.0.0'])
      expect(versionAtLeast(version, '0.0.0')).toBe(false);
  });

  it('gates max_bytes on 0.2.0', () => {
    expect(takesCappedBlocks('0.1.0')).toBe(false);
    expect(takesCappedBlocks('0.2.0')).toBe(true);
  });
});
