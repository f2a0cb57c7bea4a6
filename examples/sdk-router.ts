/**
 * The in-process SDK, runnable with no API key: `npx tsx examples/sdk-router.ts`.
 * A Router over a LiteLLM model_list: the `main` group fails (LiteLLM's mock exception),
 * so the router falls back to `spare`, exactly as the gateway would.
 */
import { Router, completion } from '@switchboard/sdk';

async function main(): Promise<void> {
  const direct = await completion({ model: 'mock/demo', messages: [{ role: 'user', content: 'Hello' }] });
  console.log('completion():', JSON.stringify((direct.choices as Array<{ message: unknown }>)[0].message));

  const router = new Router({
    model_list: [
      { model_name: 'main', litellm_params: { model: 'mock/main', mock_response: 'litellm.ServiceUnavailableError' } },
      { model_name: 'spare', litellm_params: { model: 'mock/spare', mock_response: 'Answered by the fallback deployment.' } },
    ],
    router_settings: { routing_strategy: 'simple-shuffle', fallbacks: [{ main: ['spare'] }] },
  });
  const stream = await router.completion({ model: 'main', stream: true, messages: [{ role: 'user', content: 'Hello' }] });
  process.stdout.write('Router (streamed, via fallback): ');
  for await (const chunk of stream) {
    const delta = (chunk.choices as Array<{ delta?: { content?: string } }>)[0]?.delta?.content;
    if (delta) process.stdout.write(delta);
  }
  process.stdout.write('\n');
}

void main();
