#!/usr/bin/env node
// Builds the phive checker (ehf/phive-checker: phive + phive-rules-peppol 4.3.7, the engine behind the Peppol
// practical validator with the rules our Schematron comes from) with `mvn` from Maven Central into .tools/phive/
// (git-ignored): phive-checker.jar and its lib/ folder. The differential test (test/unit/phive-differential.test.ts)
// and `npm run bench:ehf` run it. Reused when present and built from the same sources (marker = sha256 of pom.xml and
// the Java source); a fresh build takes ~15 s (Maven's cache warm) to a minute (cold).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { swapIn } from './swap-in.mjs';

export const phiveDir = (root) => process.env.PHIVE_CHECKER_DIR || join(root, '.tools', 'phive');
export const phiveJar = (root) => join(phiveDir(root), 'phive-checker.jar');
const sourceDir = (root) => join(root, 'ehf', 'phive-checker');

const log = (line) => console.log(`[setup] phive checker: ${line}`);

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && (e.name === 'pom.xml' || e.name.endsWith('.java')) && !join(e.parentPath, e.name).includes(`${join(dir, 'target')}`))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** What the installed jar was built from: changes to the pom or the Java source rebuild it. */
export function wantedMarker(root) {
  const hash = createHash('sha256');
  for (const file of sourceFiles(sourceDir(root))) hash.update(file.slice(sourceDir(root).length)).update(readFileSync(file));
  return hash.digest('hex');
}

export function isPhiveInstalled(root) {
  const marker = join(phiveDir(root), '.installed');
  return existsSync(marker) && readFileSync(marker, 'utf8') === wantedMarker(root) && existsSync(phiveJar(root));
}

export function setupPhive({ root }) {
  const dir = phiveDir(root);
  if (isPhiveInstalled(root)) {
    log(`present in ${dir}`);
    return;
  }
  for (const [command, fix] of [['java', 'install a Java 17 runtime (Debian: apt-get install -y openjdk-17-jdk-headless)'], ['mvn', 'install Maven (Debian: apt-get install -y maven)']]) {
    const probe = spawnSync(command, command === 'java' ? ['-version'] : ['-v'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) throw new Error(`${command} is missing or broken: ${fix}, then run \`npm run setup\`.`);
  }
  const started = Date.now();
  log('building with mvn (phive-rules-peppol 4.3.7, phive 12.0.3, jaxb-runtime; ~15 s with a warm Maven cache)');
  const target = mkdtempSync(join(tmpdir(), 'fakturaflyt-phive-'));
  const building = `${dir}.building-${process.pid}`;
  try {
    const run = spawnSync('mvn', ['-B', '-q', '-Dstyle.color=never', '-f', join(sourceDir(root), 'pom.xml'), `-Dchecker.target=${target}`, 'package'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (run.error || run.status !== 0) {
      const errors = `${run.stdout ?? ''}\n${run.stderr ?? ''}`.split('\n').filter((l) => /^\[ERROR\] \S/.test(l));
      throw new Error(`mvn could not build the phive checker (is Maven Central reachable?): ${(errors.find((l) => /Could not|Failed|ERROR/.test(l)) ?? errors[0] ?? run.error?.message ?? `exit ${run.status}`).replace(/^\[ERROR\] /, '')}`);
    }
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    cpSync(join(target, 'phive-checker.jar'), join(building, 'phive-checker.jar'));
    cpSync(join(target, 'lib'), join(building, 'lib'), { recursive: true });
    writeFileSync(join(building, '.installed'), wantedMarker(root));
    swapIn(building, dir);
    log(`installed in ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(target, { recursive: true, force: true });
    rmSync(building, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    setupPhive({ root: join(dirname(fileURLToPath(import.meta.url)), '..') });
  } catch (err) {
    console.error(`[setup] phive checker failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
