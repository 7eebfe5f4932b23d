// faultySignatureWorker.mjs's 'die'.
import { runFaulty } from './faultySignatureWorker.mjs';

await runFaulty('die');
