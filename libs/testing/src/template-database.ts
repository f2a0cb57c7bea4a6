import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { repositoryRoot, runMigrations } from './service-process';

/**
 * The run's template database: created and migrated once, then every test file's database is a
 * copy (`CREATE DATABASE ... TEMPLATE`), which takes milliseconds instead of a migration run.
 */
export async function createTemplateDatabase(serverUrl: string, runId: string): Promise<string> {
  const name = `sbtemplate_${runId}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  // The migrate app runs the migrations, as in production: build it when this run has not.
  if (!existsSync(join(repositoryRoot, 'dist', 'apps', 'migrate', 'main.js'))) execFileSync(process.execPath, [join(repositoryRoot, 'tools', 'build.mjs')], { stdio: 'ignore' });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await runMigrations({ DATABASE_URL: url.toString() });
  return name;
}

export async function dropTemplateDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Creates a test file's database as a copy of the template (retried: a concurrent copy can hold the template for a moment). */
export async function cloneTemplateDatabase(admin: pg.Client, name: string, template: string | undefined): Promise<boolean> {
  if (!template) {
    await admin.query(`CREATE DATABASE "${name}"`);
    return false;
  }
  for (let attempt = 0; ; attempt += 1) {
    try {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return true;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + attempt * 25));
    }
  }
}
