/**
 * The `blockyard` command run from src/ through tsx, for tests that spawn the CLI:
 * `node --import tsx test/support/blockyardFromSource.ts <command> ...`. bin/blockyard.js runs
 * the compiled dist/, which can lag behind src/ on a developer's machine; this never does.
 */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
