/**
 * The calls to peers stopped by one AbortSignal (src/p2p/peerHttp.ts's whenAborted): one
 * 'abort' listener on the signal however many calls use it, each call still stopped once, and a
 * call that ended is not.
 */
import { describe, expect, it, vi } from 'vitest';
import { whenAborted } from '../../../src/p2p/peerHttp.js';

describe('whenAborted', () => {
  it('stops each call under way once, with one listener on the signal', () => {
    const controller = new AbortController();
    const added = vi.spyOn(controller.signal, 'addEventListener');
    const stopped: string[] = [];
    whenAborted(controller.signal, () => stopped.push('a'));
    const forgetB = whenAborted(controller.signal, () => stopped.push('b'));
    whenAborted(controller.signal, () => stopped.push('c'));
    forgetB();
    expect(added).toHaveBeenCalledTimes(1);
    controller.abort();
    controller.abort();
    expect(stopped).toEqual(['a', 'c']);
  });

  it('keeps the signals apart, and one call registered twice is two calls', () => {
    const first = new AbortController();
    const second = new AbortController();
    const stopped: string[] = [];
    const stop = () => stopped.push('x');
    const forget = whenAborted(first.signal, stop);
    whenAborted(first.signal, stop);
    whenAborted(second.signal, () => stopped.push('second'));
    forget();
    first.abort();
    expect(stopped).toEqual(['x']);
    second.abort();
    expect(stopped).toEqual(['x', 'second']);
  });
});
