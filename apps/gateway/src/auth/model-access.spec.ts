import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '@switchboard/spec';
import { ModelAllowList } from '@switchboard/identity';
import type { VerifiedKey } from './key-verifier';
import { resolveRouteModels } from '../routing/model-resolution';
import { authorizeRouteModels } from './model-access';
import { requestFallbacks, requestsByModelGroup, routeRequestFor } from '../routing/route-request';

const limited: VerifiedKey = { caller: { keyHash: 'k' }, isMasterKey: false, allowedModels: new ModelAllowList([{ names: new Set(['a', 'b']), prefixes: ['openai/'] }]) };
const everyModel: VerifiedKey = { caller: { keyHash: 'm' }, isMasterKey: true };

describe('request fallbacks', () => {
  it('takes model names and LiteLLM objects, and refuses anything else naming the entry', () => {
    expect(requestFallbacks(['b', { model: 'c', messages: [] }])).toEqual([
      { model: 'b', overrides: {} },
      { model: 'c', overrides: { messages: [] } },
    ]);
    expect(requestFallbacks(undefined)).toBeUndefined();
    expect(() => requestFallbacks('b')).toThrow(expect.objectContaining({ param: 'fallbacks' }));
    expect(() => requestFallbacks(['b', 3])).toThrow(expect.objectContaining({ param: 'fallbacks[1]' }));
    expect(() => requestFallbacks([{ messages: [] }])).toThrow(expect.objectContaining({ param: 'fallbacks[0]' }));
    expect(() => requestFallbacks([{ model: 'c', fallbacks: ['d'] }])).toThrow(expect.objectContaining({ param: 'fallbacks[0].fallbacks' }));
    expect(() => requestFallbacks([{ model: 'c', stream: true }])).toThrow(expect.objectContaining({ param: 'fallbacks[0].stream' }));
    expect(routeRequestFor('a', { fallbacks: ['b', { model: 'c' }] }, {}).fallbacks).toEqual(['b', 'c']);
  });

  it('gives each fallback group its own request, validated up front by the edge parser', () => {
    const body = { model: 'a', messages: ['original'], fallbacks: ['b', { model: 'c', messages: ['replaced'] }] };
    const parse = (merged: Record<string, unknown>) => {
      if (!Array.isArray(merged.messages)) throw new SwitchboardError('invalid_request', 'bad', { param: 'messages' });
      return { model: merged.model, messages: merged.messages };
    };
    const requestFor = requestsByModelGroup(body, { model: 'a', messages: ['original'] }, parse);
    expect(requestFor('a')).toEqual({ model: 'a', messages: ['original'] });
    expect(requestFor('b')).toEqual({ model: 'a', messages: ['original'] });
    expect(requestFor('c')).toEqual({ model: 'c', messages: ['replaced'] });
    expect(() => requestsByModelGroup({ ...body, fallbacks: [{ model: 'c', messages: 'x' }] }, { model: 'a', messages: [] as unknown[] }, parse)).toThrow(expect.objectContaining({ status: 400, param: 'fallbacks[0].messages' }));
  });
});

describe('authorizeRouteModels', () => {
  it('refuses a request whose model or any fallback the key may not call, naming it', () => {
    expect(() => authorizeRouteModels(limited, { modelGroup: 'a', fallbacks: ['b'] }, false)).not.toThrow();
    expect(() => authorizeRouteModels(limited, { modelGroup: 'z' }, false)).toThrow(expect.objectContaining({ status: 401, param: 'model', message: expect.stringContaining('Tried to access z') }));
    expect(() => authorizeRouteModels(limited, { modelGroup: 'a', fallbacks: ['b', 'forbidden'] }, false)).toThrow(
      expect.objectContaining({ status: 401, param: 'fallbacks', message: expect.stringContaining('Tried to access forbidden') }),
    );
    expect(() => authorizeRouteModels(everyModel, { modelGroup: 'anything', fallbacks: ['else'] }, true)).not.toThrow();
  });

  it('filters the configured fallbacks by the key only when enforce_fallback_model_access is on', () => {
    expect(authorizeRouteModels(limited, { modelGroup: 'a' }, false).allowFallback).toBeUndefined();
    const enforced = authorizeRouteModels(limited, { modelGroup: 'a' }, true);
    expect(enforced.allowFallback?.('b')).toBe(true);
    expect(enforced.allowFallback?.('forbidden')).toBe(false);
    expect(authorizeRouteModels(everyModel, { modelGroup: 'a' }, true).allowFallback).toBeUndefined();
  });

  it('checks the concrete model: aliases resolved (key, then team, then model_group_alias), wildcards by the name matched', () => {
    const withAliases: VerifiedKey = {
      ...limited,
      identity: { keyAliases: { mine: 'a', both: 'b' }, teamModelAliases: { both: 'z', team: 'b' } } as unknown as VerifiedKey['identity'],
    };
    const groupAlias = (name: string) => (name === 'cheap' ? 'a' : name === 'pricey' ? 'z' : name);
    const resolved = resolveRouteModels({ modelGroup: 'mine', fallbacks: ['both', 'team', 'cheap', 'openai/o9'] }, withAliases, groupAlias);
    expect(resolved.route).toMatchObject({ modelGroup: 'a', fallbacks: ['b', 'b', 'a', 'openai/o9'] });
    expect(resolved.requestedAs('a')).toBe('mine');
    expect(() => authorizeRouteModels(withAliases, resolved.route, false, resolved.requestedAs)).not.toThrow();
    const forbidden = resolveRouteModels({ modelGroup: 'pricey' }, withAliases, groupAlias);
    expect(() => authorizeRouteModels(withAliases, forbidden.route, false, forbidden.requestedAs)).toThrow(expect.objectContaining({ status: 401, message: expect.stringContaining('Tried to access pricey') }));
    // A key may name the alias itself in its models, as LiteLLM accepts.
    const aliasListed: VerifiedKey = { ...limited, allowedModels: new ModelAllowList([{ names: new Set(['pricey']), prefixes: [] }]) };
    expect(() => authorizeRouteModels(aliasListed, forbidden.route, false, forbidden.requestedAs)).not.toThrow();
  });
});
