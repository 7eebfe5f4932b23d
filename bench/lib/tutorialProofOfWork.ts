/**
 * A literal Node port of the tutorials' proof of work (dvf's blockchain.py, in
 * /work/shared/seeds): find `proof` such that the hex SHA-256 of the string
 * `${last_proof}${proof}${last_hash}` starts with "0000", trying proof = 0, 1, 2, …
 * Kept line for line, string formatting and hex comparison included, because that is the cost
 * it is measured for. Each try is one SHA-256 of about 70 bytes: two compressions, as many as a
 * midstate double-SHA of our header.
 */
import { createHash } from 'node:crypto';

export interface TutorialBlock {
  readonly index: number;
  readonly timestamp: number;
  readonly transactions: readonly unknown[];
  readonly proof: number;
  readonly previous_hash: string;
}

/** Python's json.dumps(value, sort_keys=True): ", " and ": " separators, sorted keys. */
function pythonJsonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    const record = value as Record<string, unknown>;
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${pythonJsonDumps(record[k])}`).join(', ')}}`;
  }
  return JSON.stringify(value);
}

/** hashlib.sha256(json.dumps(block, sort_keys=True).encode()).hexdigest() */
export function hashBlock(block: TutorialBlock): string {
  return createHash('sha256')
    .update(Buffer.from(pythonJsonDumps(block)))
    .digest('hex');
}

/** valid_proof: guess = f'{last_proof}{proof}{last_hash}'.encode(); its hex hash[:4] == "0000" */
export function validProof(lastProof: number, proof: number, lastHash: string): boolean {
  const guess = Buffer.from(`${lastProof}${proof}${lastHash}`);
  const guessHash = createHash('sha256').update(guess).digest('hex');
  return guessHash.slice(0, 4) === '0000';
}

/** proof_of_work(last_block): proof = 0; while valid_proof(...) is False: proof += 1 */
export function proofOfWork(lastBlock: TutorialBlock): number {
  const lastProof = lastBlock.proof;
  const lastHash = hashBlock(lastBlock);
  let proof = 0;
  while (validProof(lastProof, proof, lastHash) === false) {
    proof += 1;
  }
  return proof;
}

/**
 * The tutorial's chain, one block per call: mines the next block (like GET /mine without the
 * reward transaction) and returns how many valid_proof tries it took.
 */
export function createTutorialChain(): { mineNext(): number; readonly blocks: number } {
  let lastBlock: TutorialBlock = {
    index: 1,
    timestamp: 1506057125.900785,
    transactions: [],
    proof: 100,
    previous_hash: '1',
  };
  return {
    mineNext() {
      const proof = proofOfWork(lastBlock);
      lastBlock = {
        index: lastBlock.index + 1,
        timestamp: lastBlock.timestamp + 1,
        transactions: [],
        proof,
        previous_hash: hashBlock(lastBlock),
      };
      return proof + 1;
    },
    get blocks() {
      return lastBlock.index - 1;
    },
  };
}
