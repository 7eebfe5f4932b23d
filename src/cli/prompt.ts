/**
 * Asking the person at the keyboard, or reading what a script pipes in. On a terminal, secrets
 * (passwords, recovery words) are typed with the echo off: stdin in raw mode, one key at a time,
 * the prompt on stderr so that stdout stays the command's answer. Without a terminal, each
 * answer is the next line of stdin.
 */
import { createInterface, type Interface } from 'node:readline';
import { CliError } from './io.js';

export interface Prompter {
  /** The answer typed with echo off, or (stdin not a terminal) the next line of stdin. */
  secret(question: string): Promise<string | undefined>;
  /** Stops listening to stdin, so the process can exit. */
  close(): void;
}

export function createPrompter(): Prompter {
  let lines: LineQueue | undefined;
  return {
    secret(question) {
      if (process.stdin.isTTY) return hiddenPrompt(question);
      lines ??= new LineQueue(createInterface({ input: process.stdin, terminal: false }));
      return lines.next();
    },
    close() {
      lines?.close();
    },
  };
}

/** The lines of a stream, one per call; undefined once it has ended. */
class LineQueue {
  private readonly buffered: string[] = [];
  private readonly waiting: ((line: string | undefined) => void)[] = [];
  private ended = false;

  constructor(private readonly reader: Interface) {
    reader.on('line', (line) => {
      const next = this.waiting.shift();
      if (next) next(line);
      else this.buffered.push(line);
    });
    reader.on('close', () => {
      this.ended = true;
      for (const next of this.waiting.splice(0)) next(undefined);
    });
  }

  next(): Promise<string | undefined> {
    if (this.buffered.length > 0) return Promise.resolve(this.buffered.shift());
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  close(): void {
    this.reader.close();
  }
}

const ENTER = new Set(['\r', '\n']);
const ERASE = new Set(['\u007f', '\b']);
const [CTRL_C, CTRL_D, CTRL_U, ESC] = ['\u0003', '\u0004', '\u0015', '\u001b'];

/** The line after one more key: backspace erases a character, Ctrl-U the line. */
function edit(text: string, key: string): string {
  if (ERASE.has(key)) return [...text].slice(0, -1).join('');
  if (key === CTRL_U) return '';
  return key >= ' ' ? text + key : text;
}

function hiddenPrompt(question: string): Promise<string | undefined> {
  const input = process.stdin;
  // Echo off before the question shows: keys typed the moment it appears stay hidden too.
  input.setRawMode(true);
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (error?: CliError) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (chunk: Buffer | string) => {
      for (const key of String(chunk)) {
        if (ENTER.has(key)) return finish();
        // Raw mode turns Ctrl-C into a key: it must still stop the command.
        if (key === CTRL_C || (key === CTRL_D && text === '')) {
          return finish(new CliError('CLI_CANCELLED', 'cancelled at the prompt'));
        }
        // An arrow or function key: drop the rest of its escape sequence.
        if (key === ESC) break;
        text = edit(text, key);
      }
    };
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
  });
}
