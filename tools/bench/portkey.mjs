// The Portkey AI Gateway as the in-process Node peer (`--peer portkey`), run the way performance.md's
// reference figures were taken: @portkey-ai/gateway 1.15.2 installed on demand into a cache folder of its
// own (never a project dependency), @hono/node-server and hono pinned to the last releases that run on
// Node 20, started headless on a free port, calling the same fake upstream as Switchboard.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Fatal, freePort, waitFor } from './processes.mjs';

const version = '1.15.2';
const manifest = {
  name: 'switchboard-bench-portkey',
  private: true,
  dependencies: { '@portkey-ai/gateway': version },
  overrides: { '@hono/node-server': '1.13.5', hono: '4.9.7' },
};

export function portkeyDirectory() {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'switchboard-bench', 'portkey');
}

function installedVersion(directory) {
  try {
    return JSON.parse(readFileSync(join(directory, 'node_modules', '@portkey-ai', 'gateway', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** Installs Portkey into the cache folder unless the pinned version is already there. */
export function installPortkey() {
  const directory = portkeyDirectory();
  if (installedVersion(directory) === version && existsSync(join(directory, 'node_modules', 'hono'))) return directory;
  console.log(`installing @portkey-ai/gateway ${version} into ${directory} ...`);
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // Its postinstall (patch-package) has no patches to apply in the published package.
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: directory, stdio: 'inherit', timeout: 300_000 });
  if (result.status !== 0 || installedVersion(directory) !== version) throw new Error(`could not install @portkey-ai/gateway ${version} into ${directory}`);
  return directory;
}

/** Starts Portkey; `target(url)` builds the request spec that makes it call `upstreamUrl`. */
export async function startPortkey(processes, upstreamUrl) {
  const directory = installPortkey();
  const port = await freePort();
  const child = processes.spawn(process.execPath, [join('node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js'), `--port=${port}`, '--headless'], {
    cwd: directory,
    env: { PATH: process.env.PATH, HOME: process.env.HOME ?? homedir() },
  });
  const url = `http://127.0.0.1:${port}/v1/chat/completions`;
  const headers = { authorization: 'Bearer sk-bench', 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstreamUrl}/v1` };
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Fatal(`portkey exited with code ${child.exitCode}`);
    const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"model":"bench","messages":[{"role":"user","content":"hello"}]}', signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  }, 'portkey');
  return { child, url, headers, name: 'portkey', label: `Portkey ${version}` };
}
