// faultySignatureWorker.mjs's 'late'.
import { runFaulty } from './faultySignatureWorker.mjs';

await runFaulty('late');
