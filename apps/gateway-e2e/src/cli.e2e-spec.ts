import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, freePort, repositoryRoot } from '@switchboard/testing';
import type { Isolation } from '@switchboard/testing';

/** `npm start` / the `switchboard` bin, as a user runs it: tools/start.mjs with LiteLLM's CLI flags. */
function startCli(args: string[], environment: Record<string, string>): { child: ChildProcess; output: string[]; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(repositoryRoot, 'tools', 'start.mjs'), ...args], { cwd: repositoryRoot, env: { ...process.env, ...environment }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { child, output, exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
}

describe('the LiteLLM CLI habits: npm start -- --model ...', () => {
  let isolation: Isolation;
  let running: ReturnType<typeof startCli> | undefined;
  let baseUrl = '';

  beforeAll(async () => {
    isolation = await createIsolation();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    running = startCli(['--model', 'mock/mock-gpt', '--alias', 'my-mock', '--port', String(port), '--host', '127.0.0.1'], {
      ...isolation.environment,
      MASTER_KEY: 'sk-cli-master',
      METRICS_PORT: '0',
      WORKER_HEALTH_PORT: String(await freePort()),
      AUTH_HEALTH_PORT: String(await freePort()),
      BUDGET_HEALTH_PORT: String(await freePort()),
      LOGGING_HEALTH_PORT: String(await freePort()),
    });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !running.output.join('').includes('Switchboard is running')) {
      if (running.child.exitCode !== null) throw new Error(`start.mjs exited: ${running.output.join('')}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 90_000);

  afterAll(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGTERM');
      await running.exited;
    }
    await isolation?.cleanup();
  });

  it('runs a one-model config named by --alias, as litellm --model does', async () => {
    const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'sk-cli-master', maxRetries: 0 });
    expect((await client.models.list()).data.map((model) => model.id)).toEqual(['my-mock']);
    const completion = await client.chat.completions.create({ model: 'my-mock', messages: [{ role: 'user', content: 'hello' }] });
    expect(completion.choices[0].message.content).toBeTruthy();
  });

  it('refuses an option it does not know, naming it', async () => {
    const refused = startCli(['--num_workers', '4'], {});
    expect(await refused.exited).toBe(1);
    expect(refused.output.join('')).toContain('unknown option --num_workers');
  });
});
