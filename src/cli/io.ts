/**
 * What `blockyard wallet` and `blockyard chain` share: one way to print (text for people, or one
 * JSON object on stdout with `--json`), one way to fail (a stable code, its meaning, the detail,
 * and an exit code), and the exit codes themselves.
 *
 * Codes and their meanings come from src/core/errors.ts (the node's, the wallet's, the API
 * client's, and the CLI_ ones only a command line meets); this file adds their exit codes.
 */
import { ClientError } from '../api/client.js';
import { type ErrorCode, errorMeanings, type Failure, isErrorCode } from '../core/index.js';

export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  node: 3,
  wallet: 4,
  refused: 5,
  wait: 6,
  /** As a shell reports a command stopped by Ctrl-C (128 + SIGINT). */
  cancelled: 130,
} as const;

/** For the --help texts and the README: one table, so they cannot disagree. */
export const exitCodesHelp = `exit codes:
  0    done
  1    unexpected error (a bug: please report it with the message)
  2    usage: unknown command or flag, missing or malformed argument
  3    the node did not answer, or is not a blockyard node
  4    the wallet: not found, already exists, wrong, weak or missing password,
       not a keystore, not a mnemonic, a file that cannot be read or written
  5    refused: a bad address or amount, not enough coins, a nonce conflict, not found,
       or anything else the node refused
  6    sent, but --wait ended first: timed out, or the transaction was dropped
  130  cancelled at a prompt (Ctrl-C)
`;

/** The exit code of each CLI_ code (the type asks for every one); other codes go by prefix below. */
const cliExits = {
  CLI_USAGE: EXIT.usage,
  CLI_NO_PASSWORD: EXIT.wallet,
  CLI_PASSWORD_MISMATCH: EXIT.wallet,
  CLI_FILE: EXIT.wallet,
  CLI_NETWORK_MISMATCH: EXIT.usage,
  CLI_WAIT_TIMEOUT: EXIT.wait,
  CLI_TX_DROPPED: EXIT.wait,
  CLI_PROOF_INVALID: EXIT.refused,
  CLI_CANCELLED: EXIT.cancelled,
  CLI_UNEXPECTED: EXIT.unexpected,
} as const satisfies Record<Extract<ErrorCode, `CLI_${string}`>, number>;

export type CliCode = keyof typeof cliExits;

/** A failure to show to the user: a code (errorMeanings' or a CLI_ one) and what happened. */
export class CliError extends Error {
  constructor(
    readonly code: CliCode | string,
    message: string,
    /** More fields for the JSON error object, e.g. the id of a transaction that was sent. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError('CLI_USAGE', message);

export function fromFailure(failure: Failure): CliError {
  return new CliError(failure.code, failure.detail);
}

export function exitCodeOf(code: string): number {
  if (Object.hasOwn(cliExits, code)) return cliExits[code as CliCode];
  if (code.startsWith('WALLET_')) return EXIT.wallet;
  if (code.startsWith('CLIENT_')) return EXIT.node;
  return isErrorCode(code) ? EXIT.refused : EXIT.unexpected;
}

export function meaningOf(code: string): string | undefined {
  return isErrorCode(code) ? errorMeanings[code] : undefined;
}

/** Where a command prints. Text for people goes through `say`; `--json` gets only `result`. */
export interface Terminal {
  readonly json: boolean;
  readonly env: NodeJS.ProcessEnv;
  /** A person at the keyboard: prompts can be shown and answered. */
  readonly interactive: boolean;
  /** A person watching stderr: progress can be redrawn in place with \r. */
  readonly liveStderr: boolean;
  /** A line of text on stdout (nothing with --json). */
  say(text?: string): void;
  /** A note on stderr: warnings and progress that are not the command's answer. */
  note(text: string): void;
  /** Writes raw text to stderr (for \r progress lines). */
  writeStderr(text: string): void;
  /** The command's answer: `value` as JSON with --json, else the text `human()` makes. */
  result(value: object, human: () => string | undefined): void;
}

export function createTerminal(json: boolean): Terminal {
  return {
    json,
    env: process.env,
    interactive: process.stdin.isTTY === true && process.stderr.isTTY === true,
    liveStderr: process.stderr.isTTY === true,
    say(text = '') {
      if (!json) process.stdout.write(`${text}\n`);
    },
    note(text) {
      process.stderr.write(`${text}\n`);
    },
    writeStderr(text) {
      process.stderr.write(text);
    },
    result(value, human) {
      if (json) {
        process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
        return;
      }
      const text = human();
      if (text !== undefined) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}

function asCliError(error: unknown): CliError | undefined {
  if (error instanceof CliError) return error;
  if (error instanceof ClientError) return new CliError(error.code, error.message);
  if (
    error instanceof Error &&
    String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')
  ) {
    return usageError(error.message);
  }
  return undefined;
}

/** Prints `error` the one way (text on stderr, or `{"error": …}` on stdout) and returns its exit code. */
export function reportError(term: Terminal, program: string, error: unknown): number {
  const known = asCliError(error);
  const code = known?.code ?? 'CLI_UNEXPECTED';
  const message = known?.message ?? (error instanceof Error ? error.message : String(error));
  if (term.json) {
    const body = { error: { code, message, ...known?.extra } };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    const meaning = meaningOf(code);
    const lines = [`${program}: ${meaning ?? message} [${code}]`];
    if (meaning !== undefined && message !== meaning) lines.push(`  ${message}`);
    if (code === 'CLI_USAGE') lines.push(`  (${program} --help shows the options)`);
    process.stderr.write(`${lines.join('\n')}\n`);
  }
  if (!known) {
    // A bug, not the user's doing: the stack says where.
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  }
  return exitCodeOf(code);
}

/** Runs a command with its terminal, turning every failure into a message and an exit code. */
export async function runWithTerminal(
  program: string,
  argv: readonly string[],
  body: (term: Terminal) => Promise<number | undefined>,
): Promise<number> {
  const term = createTerminal(argv.includes('--json'));
  try {
    return (await body(term)) ?? EXIT.ok;
  } catch (error) {
    return reportError(term, program, error);
  }
}
