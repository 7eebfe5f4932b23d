/**
 * One nonce search at a time for the Tamper page, in the browser: which block is being mined,
 * how far it got, how the last search of each block ended, and a cancel. A search still running
 * when the page goes away is cancelled.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BlockHeader } from '../../../../src/core/types.ts';
import { expectedTries, maxTriesFor, mineNonce } from './mineNonce.ts';

export interface MiningRun {
  readonly height: number;
  readonly tries: number;
  readonly expected: bigint;
  readonly maxTries: number;
}

export interface Mining {
  readonly run: MiningRun | undefined;
  /** How the last search of each block ended, in words. */
  readonly notes: Readonly<Record<number, string>>;
  start: (height: number, header: BlockHeader) => void;
  cancel: () => void;
  /** Forgets the notes of these blocks (after a reset), or of all. */
  forget: (heights?: readonly number[]) => void;
}

export const count = (n: number | bigint) => n.toLocaleString('en-US');

export function useMining(onFound: (height: number, header: BlockHeader, nonce: bigint) => void) {
  const [run, setRun] = useState<MiningRun>();
  const [notes, setNotes] = useState<Record<number, string>>({});
  const controller = useRef<AbortController | undefined>(undefined);
  const found = useRef(onFound);
  found.current = onFound;

  useEffect(() => () => controller.current?.abort(), []);

  const start = useCallback((height: number, header: BlockHeader) => {
    if (controller.current) return;
    const abort = new AbortController();
    controller.current = abort;
    const expected = expectedTries(header);
    const maxTries = maxTriesFor(header);
    setRun({ height, tries: 0, expected, maxTries });
    const note = (text: string) => setNotes((all) => ({ ...all, [height]: text }));
    mineNonce(header, {
      signal: abort.signal,
      maxTries,
      onProgress: (tries) => setRun({ height, tries, expected, maxTries }),
    }).then((outcome) => {
      controller.current = undefined;
      setRun(undefined);
      if (outcome.status === 'found') {
        found.current(height, header, outcome.nonce);
        note(`Mined: nonce ${outcome.nonce} after ${count(outcome.tries)} tries.`);
      } else if (outcome.status === 'cancelled') {
        note(`Cancelled after ${count(outcome.tries)} tries.`);
      } else {
        note(
          `Gave up after ${count(outcome.tries)} tries (about ${count(expected)} are needed on average): ` +
            'the node mines this target much faster than a browser tab.',
        );
      }
    });
  }, []);

  const cancel = useCallback(() => controller.current?.abort(), []);

  const forget = useCallback((heights?: readonly number[]) => {
    setNotes((all) =>
      heights
        ? Object.fromEntries(Object.entries(all).filter(([h]) => !heights.includes(Number(h))))
        : {},
    );
  }, []);

  return { run, notes, start, cancel, forget } satisfies Mining;
}
