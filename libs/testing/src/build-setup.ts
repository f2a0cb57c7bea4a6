import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repositoryRoot } from './service-process';

/** Runs once before the end-to-end tests: builds the apps they spawn (incremental, well under a second when unchanged). */
export default function setup(): void {
  execFileSync(process.execPath, [join(repositoryRoot, 'tools', 'build.mjs')], { stdio: 'ignore' });
}
