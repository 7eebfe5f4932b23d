// faultySignatureWorker.mjs's 'stall'.
import { runFaulty } from './faultySignatureWorker.mjs';

await runFaulty('stall');
