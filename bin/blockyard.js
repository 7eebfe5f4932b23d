#!/usr/bin/env node
// The `blockyard` command. Runs the compiled CLI (npm install builds it into dist/).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
