#!/usr/bin/env node
// Launcher: runs the TypeScript CLI (main/cli.ts) through tsx's loader, in this process.
import { register } from 'tsx/esm/api';

register();
const { run } = await import(new URL('../main/cli.ts', import.meta.url).href);
process.exitCode = await run(process.argv.slice(2));
