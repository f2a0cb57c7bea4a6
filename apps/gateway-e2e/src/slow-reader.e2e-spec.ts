import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsolation, startFakeServer, startSystem } from '@switchboard/testing';
import type { FakeServer, Isolation, RunningSystem } from '@switchboard/testing';

/**
 * Backpressure (docs/ARCHITECTURE.md D22): a streaming client that stops reading costs the gateway at
 * most its stream buffer bound; past it the client is cut, the upstream call cancelled, and the
 * request recorded once.
 */

const bufferLimit = 1_048_576;
const delta = 'z'.repeat(32 * 1024);

function rssMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
}

describe('a streaming client that stops reading', () => {
  let isolation: Isolation;
  let upstream: FakeServer;
  let system: RunningSystem;
  let upstreamClosedAt = 0;

  beforeAll(async () => {
    isolation = await createIsolation();
    // An upstream that streams 32 KB deltas as fast as its socket takes them, until it is cut (or `max_tokens` deltas).
    upstream = await startFakeServer((request, response) => {
      const limit = (request.json as { max_tokens?: number } | undefined)?.max_tokens ?? Infinity;
      let sent = 0;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = `data: ${JSON.stringify({ id: 'chatcmpl-fast', object: 'chat.completion.chunk', created: 1, model: 'fast', choices: [{ index: 0, delta: { content: delta }, finish_reason: null }] })}\n\n`;
      const pump = () => {
        while (!response.destroyed && sent < limit) {
          sent += 1;
          if (!response.write(chunk)) break;
        }
        if (sent >= limit) response.end(`data: ${JSON.stringify({ id: 'chatcmpl-fast', object: 'chat.completion.chunk', created: 1, model: 'fast', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
        else if (!response.destroyed) response.once('drain', pump);
      };
      if (limit === Infinity) response.on('close', () => (upstreamClosedAt = Date.now()));
      pump();
    });
    system = await startSystem({
      isolation,
      config: `model_list:\n  - model_name: fast\n    litellm_params:\n      model: openai/fast\n      api_base: ${upstream.url}/v1\n      api_key: sk-upstream\n`,
      workers: [{ providers: 'openai' }],
      budget: true,
      gatewayEnvironment: { STREAM_BUFFER_LIMIT_BYTES: String(bufferLimit) },
    });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    await upstream?.close();
    await isolation?.cleanup();
  });

  it('holds the gateway within the buffer bound + 20 MB while it stalls, then cuts it, cancels the upstream and records one usage event', async () => {
    const gatewayPid = system.gateway.pid as number;
    // Warm up: a 16 MB stream read normally; the baseline is the gateway's peak RSS while it streams at full speed.
    let before = rssMb(gatewayPid);
    const sampling = setInterval(() => (before = Math.max(before, rssMb(gatewayPid))), 20);
    const warmUp = await fetch(`${system.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fast', stream: true, max_tokens: 500, messages: [{ role: 'user', content: 'warm up' }] }),
    });
    // A reader that keeps reading is never cut, even when the upstream writes faster than it reads.
    expect((await warmUp.text()).endsWith('data: [DONE]\n\n')).toBe(true);
    clearInterval(sampling);
    const url = new URL(`${system.baseUrl}/v1/chat/completions`);
    const { response, requestId } = await new Promise<{ response: IncomingMessage; requestId: string }>((resolve, reject) => {
      const request = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${system.masterKey}`, 'content-type': 'application/json' } },
        (answer) => resolve({ response: answer, requestId: String(answer.headers['x-request-id']) }),
      );
      request.on('error', reject);
      request.end(JSON.stringify({ model: 'fast', stream: true, messages: [{ role: 'user', content: 'flood me' }] }));
    });
    expect(response.statusCode).toBe(200);
    // Stop reading: nothing more is taken from the socket (the client will not even notice a cut until it reads again).
    response.pause();
    let peak = before;
    const deadline = Date.now() + 20_000;
    while (upstreamClosedAt === 0 && Date.now() < deadline) {
      peak = Math.max(peak, rssMb(gatewayPid));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The gateway cut the stream and cancelled the upstream call (the worker closed its socket).
    expect(upstreamClosedAt, 'the upstream call was cancelled').toBeGreaterThan(0);
    console.log(`gateway RSS: ${before.toFixed(1)} MB streaming at full speed, ${peak.toFixed(1)} MB at most while the client stalled`);
    expect(peak - before).toBeLessThan(bufferLimit / 1_048_576 + 20);
    // Reading again, the client finds the stream cut short: no [DONE].
    let text = '';
    response.setEncoding('utf8');
    const ended = new Promise<void>((resolve) => {
      response.once('close', () => resolve());
      response.once('end', () => resolve());
      response.once('error', () => resolve());
    });
    response.on('data', (chunk: string) => (text += chunk));
    response.resume();
    await ended;
    expect(text).not.toContain('[DONE]');
    // One usage event for the request, recorded as cancelled with what was delivered.
    const database = new pg.Client({ connectionString: isolation.databaseUrl });
    await database.connect();
    try {
      await expect
        .poll(async () => (await database.query<{ status: string }>('SELECT status FROM spend_ledger WHERE request_id = $1', [requestId])).rows.map((row) => row.status), { timeout: 15_000, interval: 300 })
        .toEqual(['cancelled']);
    } finally {
      await database.end();
    }
    // The gateway is still healthy and answers.
    expect((await fetch(`${system.baseUrl}/health/liveliness`)).status).toBe(200);
  }, 60_000);
});
