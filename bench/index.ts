/**
 * `npm run bench`: runs every bench/*.ts except this file, one after another, each in its own
 * Node process so that one benchmark's threads and JIT state cannot skew the next.
 * `npm run bench -- mining` runs only the files whose name contains "mining".
 * Shared helpers live in bench/lib/ and are not run.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = new URL('.', import.meta.url);
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

const failed: string[] = [];
for (const file of files) {
  process.stdout.write(`\n== bench/${file} ==\n\n`);
  const path = fileURLToPath(new URL(file, here));
  const run = spawnSync(process.execPath, ['--import', 'tsx', path], { stdio: 'inherit' });
  if (run.status !== 0) failed.push(file);
}
if (files.length === 0) process.stdout.write(`no bench/*.ts matches ${filters.join(' ')}\n`);
if (failed.length > 0) {
  process.stderr.write(`\nfailed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
