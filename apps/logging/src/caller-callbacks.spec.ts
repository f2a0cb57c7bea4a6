import { describe, expect, it } from 'vitest';
import { callerSchema, chatCommandSchema, parseCallerLogging, usageEventSchema } from '@switchboard/contracts';
import type { CallerLogging } from '@switchboard/contracts';
import { entryWants, environmentAllowed, parseEnvironmentAllowlist, resolveCallerLogging } from './caller-callbacks';
import type { CallerCallbackContext } from './caller-callbacks';

const context: CallerCallbackContext = {
  environment: { TEAM_A_LANGFUSE_SECRET: 'sk-lf-from-env', TEAM_A_HOOK: 'https://hooks.example.com/a', LANGFUSE_SECRET_KEY: 'sk-global' },
  environmentAllowlist: ['TEAM_A_*', 'UNSET_VARIABLE'],
  defaultLangfuseHost: 'https://langfuse.internal',
};

const langfuse = (vars: Record<string, string>, type: CallerLogging['callback_type'] = 'success'): CallerLogging => ({ callback_name: 'langfuse', callback_type: type, callback_vars: vars });

describe('metadata.logging parsing (contracts)', () => {
  it.each([
    ['not a list', { callback_name: 'langfuse' }, []],
    ['null', null, []],
    ['entries without a name are left out', [{ callback_type: 'success' }, { callback_name: 'langfuse' }], [{ callback_name: 'langfuse', callback_type: 'success_and_failure', callback_vars: {} }]],
    ['an unknown callback_type leaves the entry out', [{ callback_name: 'langfuse', callback_type: 'sometimes' }], []],
    [
      'primitive vars become strings, others are dropped',
      [{ callback_name: 'generic_api', callback_type: 'failure', callback_vars: { turn_off_message_logging: true, retries: 3, nested: { a: 1 }, endpoint: 'https://x' } }],
      [{ callback_name: 'generic_api', callback_type: 'failure', callback_vars: { turn_off_message_logging: 'true', retries: '3', endpoint: 'https://x' } }],
    ],
  ])('%s', (_name, value, expected) => {
    expect(parseCallerLogging(value)).toEqual(expected);
  });

  it('a malformed logging value never fails the command or the usage event that carries it', () => {
    const caller = { keyAlias: 'k', logging: [42, 'x', { callback_name: 'langfuse', callback_vars: { langfuse_public_key: 'pk' } }] };
    expect(callerSchema.parse(caller).logging).toEqual([{ callback_name: 'langfuse', callback_type: 'success_and_failure', callback_vars: { langfuse_public_key: 'pk' } }]);
    expect(callerSchema.parse({ keyAlias: 'k', logging: 'nonsense' }).logging).toEqual([]);
    const command = chatCommandSchema.safeParse({
      v: 1,
      requestId: 'r',
      stream: false,
      deployment: { id: 'd', modelGroup: 'g', params: { model: 'openai/x' } },
      request: { model: 'g', messages: [] },
      caller,
      receivedAt: 1,
    });
    expect(command.success).toBe(true);
    const event = usageEventSchema.safeParse({
      v: 1,
      requestId: 'r',
      occurredAt: new Date().toISOString(),
      callType: 'chat',
      stream: false,
      status: 'success',
      provider: 'openai',
      modelGroup: 'g',
      deploymentId: 'd',
      upstreamModel: 'x',
      usage: { inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 1, text: 1, reasoning: 0 } },
      latencyMs: 1,
      caller: { logging: { not: 'a list' } },
    });
    expect(event.success).toBe(true);
  });
});

describe('resolveCallerLogging', () => {
  it('resolves a Langfuse entry with literal keys and the default host', () => {
    const resolution = resolveCallerLogging(langfuse({ langfuse_public_key: 'pk-lf-1', langfuse_secret_key: 'sk-lf-literal' }), context);
    expect(resolution).toMatchObject({ ok: true, target: { settings: { kind: 'langfuse', host: 'https://langfuse.internal', publicKey: 'pk-lf-1', secretKey: 'sk-lf-literal' } } });
  });

  it('reads os.environ/NAME from the logging service environment, and accepts langfuse_secret (LiteLLM also does)', () => {
    const resolution = resolveCallerLogging(langfuse({ langfuse_public_key: 'pk-lf-1', langfuse_secret: 'os.environ/TEAM_A_LANGFUSE_SECRET', langfuse_host: 'https://eu.langfuse.example/' }), context);
    expect(resolution).toMatchObject({ ok: true, target: { settings: { secretKey: 'sk-lf-from-env', host: 'https://eu.langfuse.example/' } } });
  });

  it('refuses variables that are not allow-listed, naming the variable but never a value', () => {
    const resolution = resolveCallerLogging(langfuse({ langfuse_public_key: 'pk', langfuse_secret_key: 'os.environ/LANGFUSE_SECRET_KEY', langfuse_host: 'https://attacker.example' }), context);
    expect(resolution.ok).toBe(false);
    const reason = resolution.ok ? '' : resolution.reason;
    expect(reason).toContain('LANGFUSE_SECRET_KEY');
    expect(reason).toContain('CALLBACK_VARS_ENV_ALLOWLIST');
    expect(reason).not.toContain('sk-global');
  });

  it('reports an allow-listed variable that is not set', () => {
    const resolution = resolveCallerLogging(langfuse({ langfuse_public_key: 'pk', langfuse_secret_key: 'os.environ/UNSET_VARIABLE' }), context);
    expect(resolution).toEqual({ ok: false, reason: 'callback_vars.langfuse_secret_key refers to UNSET_VARIABLE, which is not set on the logging service' });
  });

  it.each([
    ['langfuse without a secret key', langfuse({ langfuse_public_key: 'pk' }), 'langfuse needs callback_vars.langfuse_public_key and langfuse_secret_key'],
    ['langfuse with a host that is not http(s)', langfuse({ langfuse_public_key: 'pk', langfuse_secret_key: 'sk', langfuse_host: 'file:///etc/passwd' }), 'callback_vars.langfuse_host is not an http(s) URL'],
    ['a webhook without an endpoint', { callback_name: 'webhook', callback_type: 'success', callback_vars: {} } as CallerLogging, 'webhook needs callback_vars.generic_logger_endpoint'],
    ['a callback that has no per-key support', { callback_name: 'arize', callback_type: 'success', callback_vars: {} } as CallerLogging, "callback 'arize' is not supported per key or team (langfuse, webhook, generic_api are)"],
  ])('%s is skipped with a reason', (_name, entry, reason) => {
    expect(resolveCallerLogging(entry, context)).toEqual({ ok: false, reason });
  });

  it('resolves a generic_api webhook with its headers; the label has the origin only', () => {
    const resolution = resolveCallerLogging(
      { callback_name: 'generic_api', callback_type: 'success_and_failure', callback_vars: { generic_logger_endpoint: 'https://hooks.example.com/path/secret-token?sig=abc', generic_logger_headers: 'Authorization=Bearer hook-secret' } },
      context,
    );
    expect(resolution.ok).toBe(true);
    if (!resolution.ok) return;
    expect(resolution.target.settings).toEqual({ kind: 'webhook', endpoint: 'https://hooks.example.com/path/secret-token?sig=abc', headers: { authorization: 'Bearer hook-secret' } });
    expect(resolution.target.label).toMatch(/^webhook https:\/\/hooks\.example\.com #[0-9a-f]{8}$/);
  });

  it('one destination whatever way its settings were written; another secret is another destination', () => {
    const viaEnvironment = resolveCallerLogging({ callback_name: 'webhook', callback_type: 'success', callback_vars: { generic_logger_endpoint: 'os.environ/TEAM_A_HOOK' } }, context);
    const literal = resolveCallerLogging({ callback_name: 'generic', callback_type: 'failure', callback_vars: { generic_logger_endpoint: 'https://hooks.example.com/a' } }, context);
    const first = resolveCallerLogging(langfuse({ langfuse_public_key: 'pk', langfuse_secret_key: 'one' }), context);
    const second = resolveCallerLogging(langfuse({ langfuse_public_key: 'pk', langfuse_secret_key: 'two' }), context);
    const id = (resolution: ReturnType<typeof resolveCallerLogging>) => (resolution.ok ? resolution.target.id : 'failed');
    expect(id(viaEnvironment)).toBe(id(literal));
    expect(id(first)).not.toBe(id(second));
    expect(first.ok && first.target.label).not.toContain('one');
  });
});

describe('callback_type and the allow-list', () => {
  it.each([
    ['success', 'success', true],
    ['success', 'error', false],
    ['failure', 'error', true],
    ['failure', 'cancelled', true],
    ['failure', 'success', false],
    ['success_and_failure', 'success', true],
    ['success_and_failure', 'cancelled', true],
  ] as const)('%s wants a %s event: %s', (type, status, expected) => {
    expect(entryWants(langfuse({}, type), { status })).toBe(expected);
  });

  it.each([
    ['TEAM_A_SECRET', 'TEAM_A_*', true],
    ['TEAM_B_SECRET', 'TEAM_A_*', false],
    ['LANGFUSE_SECRET_KEY', 'LANGFUSE_SECRET', false],
    ['LANGFUSE_SECRET_KEY', ' LANGFUSE_SECRET_KEY , OTHER', true],
    ['ANYTHING', '', false],
  ])('%s against "%s": %s', (name, allowlist, expected) => {
    expect(environmentAllowed(name, parseEnvironmentAllowlist(allowlist))).toBe(expected);
  });
});
