#!/usr/bin/env node
// Builds Switchboard. Apps are bundled by esbuild into dist/apps/<app>/main.js (workspace code
// bundled, node_modules left external); libraries are transpiled into dist/libs/<lib>/.
// The admin UI (apps/ui) is built by Vite into dist/apps/ui, and only when its sources changed.
// Usage: node tools/build.mjs            every app
//        node tools/build.mjs <project>   one Nx project (what `nx run <project>:build` calls)
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const apps = ['gateway', 'worker', 'migrate', 'auth', 'budget', 'logging'].filter((app) => existsSync(join(root, 'apps', app, 'src', 'main.ts')));

// Finds an Nx project by its `name` in apps/<x>, libs/<x> and libs/<x>/<y> (e.g. libs/data-access/spend).
function projectRoot(name) {
  const candidates = [];
  for (const folder of ['apps', 'libs']) {
    for (const entry of readdirSync(join(root, folder))) {
      const path = join(root, folder, entry);
      if (!statSync(path).isDirectory()) continue;
      candidates.push(path);
      for (const nested of readdirSync(path)) {
        const nestedPath = join(path, nested);
        if (statSync(nestedPath).isDirectory() && existsSync(join(nestedPath, 'project.json'))) candidates.push(nestedPath);
      }
    }
  }
  for (const path of candidates) {
    const file = join(path, 'project.json');
    if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === name) return { path };
  }
  throw new Error(`Unknown project ${name}`);
}

async function buildApp(app) {
  await build({
    entryPoints: [join(root, 'apps', app, 'src', 'main.ts')],
    outfile: join(root, 'dist', 'apps', app, 'main.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: true,
    tsconfig: join(root, 'apps', app, 'tsconfig.json'),
    logLevel: 'warning',
  });
}

// The UI's inputs: its sources, its config and the lockfile (dependency versions).
function uiFingerprint() {
  const hash = createHash('sha256');
  const walk = (directory) => {
    for (const entry of readdirSync(directory).sort()) {
      const path = join(directory, entry);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(relative(root, path)).update(readFileSync(path));
    }
  };
  walk(join(root, 'apps', 'ui', 'src'));
  walk(join(root, 'apps', 'ui', 'public'));
  for (const file of ['apps/ui/index.html', 'apps/ui/vite.config.mts', 'package-lock.json']) hash.update(file).update(readFileSync(join(root, file)));
  return hash.digest('hex');
}

async function buildUi() {
  const stamp = join(root, 'dist', 'apps', 'ui', '.build-fingerprint');
  const fingerprint = uiFingerprint();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint && existsSync(join(root, 'dist', 'apps', 'ui', 'index.html'))) return 'ui (unchanged)';
  const vite = await import('vite');
  await vite.build({ configFile: join(root, 'apps', 'ui', 'vite.config.mts'), logLevel: 'warn' });
  writeFileSync(stamp, fingerprint);
  return 'ui';
}

function sourceFiles(directory) {
  const files = [];
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== '__fixtures__' && entry !== 'node_modules') files.push(...sourceFiles(path));
    } else if (/\.ts$/.test(entry) && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(entry)) {
      files.push(path);
    }
  }
  return files;
}

async function buildLibrary(name, path) {
  const source = join(path, 'src');
  await build({
    entryPoints: sourceFiles(source),
    outdir: join(root, 'dist', relative(root, path)),
    outbase: source,
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    tsconfig: join(path, 'tsconfig.json'),
    logLevel: 'warning',
  });
}

const requested = process.argv.slice(2);
const started = Date.now();
if (requested.length === 0) {
  const [ui] = await Promise.all([existsSync(join(root, 'apps', 'ui', 'vite.config.mts')) ? buildUi() : undefined, ...apps.map(buildApp)]);
  console.log(`built ${[...apps, ...(ui ? [ui] : [])].join(', ')} in ${Date.now() - started} ms`);
} else {
  for (const name of requested) {
    if (name === 'ui') {
      await buildUi();
      continue;
    }
    const project = projectRoot(name);
    const config = JSON.parse(readFileSync(join(project.path, 'project.json'), 'utf8'));
    if (config.projectType === 'application' && existsSync(join(project.path, 'src', 'main.ts'))) await buildApp(name);
    else if (existsSync(join(project.path, 'src'))) await buildLibrary(name, project.path);
  }
}
