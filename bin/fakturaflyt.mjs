#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx's loader, in this process: `peppol …` (channels/peppol/registry-cli.ts),
// everything else routing/cli.ts.
import { register } from 'tsx/esm/api';

register();
const argv = process.argv.slice(2);
const cli = argv[0] === 'peppol' ? '../channels/peppol/registry-cli.ts' : '../routing/cli.ts';
const { run } = await import(new URL(cli, import.meta.url).href);
process.exitCode = await run(argv);
