import { describe, expect, it } from 'vitest';
import { sendJson, startFakeServer } from './fake-server';

describe('startFakeServer', () => {
  it('records the request and answers with the handler', async () => {
    const server = await startFakeServer((_request, response) => sendJson(response, 201, { ok: true }));
    const response = await fetch(`${server.url}/v1/x?y=1`, { method: 'POST', headers: { 'x-test': '1' }, body: '{"a":1}' });
    expect(response.status).toBe(201);
    expect(server.requests[0]).toMatchObject({ method: 'POST', url: '/v1/x?y=1', json: { a: 1 } });
    expect(server.requests[0].headers['x-test']).toBe('1');
    await server.close();
  });
});
