import type { JsonObject, KeyEntity, OrganizationEntity, TeamEntity, UserEntity } from '@switchboard/data-access-identity';
import { parseDuration } from '@switchboard/identity';
import { forbidden } from '../management-error';
import type { KeyFields } from '../request-fields';
import type { GuardedLimitName } from './limit-rules';
import { allowsMore, expiresLater, guardedLimitNames, keyTypeWithin, listsWithin, modelRestriction, modelsWithin, restricts } from './limit-rules';

export type LimitFields = Partial<Record<GuardedLimitName, unknown>>;

/**
 * A ceiling a new or changed key must stay under: the creating key (a key minted for oneself), or
 * the team / organization whose admin mints it. `enforced` bounds are applied to the key at
 * admission anyway (its team's models and limits), so a field left unset stays unset; other
 * bounds are inherited by a field left unset.
 */
export interface Bound {
  source: string;
  models: readonly string[];
  limits: JsonObject;
  enforced: boolean;
  expires?: string | null;
  keyType?: string | null;
  allowedRoutes?: readonly string[];
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

export function creatingKeyBounds(key: Partial<KeyEntity>, keyTeam: TeamEntity | undefined, user: UserEntity | undefined): Bound[] {
  const bounds: Bound[] = [
    { source: 'the creating key', models: list(key.models), limits: (key.limits as JsonObject) ?? {}, enforced: false, expires: text(key.expires) ?? null, keyType: text(key.key_type) ?? null, allowedRoutes: list(key.allowed_routes) },
  ];
  // What the creating key reaches is also bounded by its team's models (a team key) or its user's (a personal key).
  const owner = keyTeam ?? user;
  if (owner) bounds.push({ source: keyTeam ? "the creating key's team" : "the creating key's user", models: list(owner.models), limits: {}, enforced: false });
  return bounds;
}

export function teamBound(team: TeamEntity): Bound {
  return { source: 'the team', models: list(team.models), limits: (team.limits as JsonObject) ?? {}, enforced: true };
}

/** `enforced` for a team key: its team's limits, which the organization's admins keep within the organization's, apply at admission. */
export function organizationBound(organization: OrganizationEntity, enforced = false): Bound {
  return { source: 'the organization', models: list(organization.models), limits: (organization.limits as JsonObject) ?? {}, enforced };
}

export interface FittedKey {
  models: string[];
  limits: JsonObject;
  expires: string | null;
  keyType: string | null;
  allowedRoutes: string[];
}

/**
 * The models, limits, expiry and routes of a new key, inside every bound: a field the request sets
 * must not exceed a bound (403 naming it); one it leaves unset takes the bound's value.
 * `otherLists` are the model lists that will also apply to the key (its team's, or its user's).
 */
export function fitNewKey(fields: KeyFields, otherLists: ReadonlyArray<readonly string[]>, bounds: readonly Bound[]): FittedKey {
  const limits: JsonObject = {};
  for (const name of guardedLimitNames) if (fields[name] !== undefined) limits[name] = fields[name];
  const fitted: FittedKey = {
    models: fitModels(fields.models, otherLists, bounds),
    limits,
    expires: fields.duration ? new Date(Date.now() + parseDuration(fields.duration)).toISOString() : null,
    keyType: fields.key_type ?? null,
    allowedRoutes: fields.allowed_routes ?? [],
  };
  for (const bound of bounds) {
    fitLimits(fitted.limits, bound);
    if (bound.expires) {
      if (fields.duration === undefined) fitted.expires = bound.expires;
      else if (expiresLater(fitted.expires, bound.expires)) throw forbidden(`'duration' may not outlive ${bound.source}, which expires at ${bound.expires}`, 'duration');
    }
    if (bound.keyType) {
      if (fields.key_type === undefined) fitted.keyType = bound.keyType;
      else if (!keyTypeWithin(fitted.keyType, bound.keyType)) throw forbidden(`'key_type' may not reach routes ${bound.source} (key_type ${bound.keyType}) cannot`, 'key_type');
    }
    if (bound.allowedRoutes?.length) fitted.allowedRoutes = [...bound.allowedRoutes];
  }
  return fitted;
}

/**
 * A change by an admin (of a key, a user or a team): the models and limits it sets stay inside the
 * bounds of what the admin administers. `otherLists` are the model lists that also apply.
 */
export function checkChangeWithinBounds(fields: LimitFields & { models?: string[] }, otherLists: ReadonlyArray<readonly string[]>, bounds: readonly Bound[]): void {
  if (fields.models !== undefined) fitModels(fields.models, otherLists, bounds);
  for (const bound of bounds) {
    for (const name of guardedLimitNames) {
      if (fields[name] === undefined || fields[name] === null || !restricts(name, bound.limits[name])) continue;
      if (allowsMore(name, fields[name], bound.limits[name])) throw exceeds(name, bound);
    }
  }
}

/** Models for an object an admin creates: within the bounds, or the narrowest bound's list when unset. */
export function fitModelsForNew(models: string[] | undefined, bounds: readonly Bound[]): string[] {
  return fitModels(models, [], bounds);
}

function restrictsModels(bound: Bound): boolean {
  return modelRestriction(bound.models) !== undefined;
}

/**
 * A list naming models must stay within every bound. A list naming none (`[]`, `*`) adds no
 * restriction of its own: the other lists that apply to the key must keep it within the bounds,
 * else an unset list takes the bound's and an explicit one is refused.
 */
function fitModels(models: string[] | undefined, otherLists: ReadonlyArray<readonly string[]>, bounds: readonly Bound[]): string[] {
  const restricted = bounds.filter(restrictsModels);
  if (models !== undefined && modelRestriction(models)) {
    const outside = restricted.find((bound) => !modelsWithin(models, bound.models));
    if (outside) throw forbidden(`'models' must stay within ${outside.source}'s models (${outside.models.join(', ')})`, 'models');
    return models;
  }
  const uncovered = restricted.filter((bound) => !listsWithin(otherLists, bound.models));
  if (uncovered.length === 0) return models ?? [];
  const [first, ...rest] = uncovered;
  if (models !== undefined) throw forbidden(`'models' must name models within ${first.source}'s (${first.models.join(', ')}): an empty list would reach every model`, 'models');
  if (rest.every((bound) => listsWithin([first.models], bound.models))) return [...first.models];
  throw forbidden(`'models' is required: a key without a model list would reach models outside ${first.source}'s (${first.models.join(', ')})`, 'models');
}

function fitLimits(limits: JsonObject, bound: Bound): void {
  for (const name of guardedLimitNames) {
    const ceiling = bound.limits[name];
    if (name === 'budget_duration') {
      // A period matters only under a budget: a shorter one lets the same budget be spent more often.
      if (!restricts('max_budget', bound.limits.max_budget) && !restricts('soft_budget', bound.limits.soft_budget)) continue;
      if (limits[name] === undefined && !bound.enforced) limits[name] = ceiling ?? null;
      else if (limits[name] !== undefined && !bound.enforced && allowsMore(name, limits[name], ceiling)) throw exceeds(name, bound);
      continue;
    }
    if (!restricts(name, ceiling)) continue;
    if (limits[name] === undefined) {
      if (!bound.enforced) limits[name] = ceiling;
    } else if (limits[name] === null ? !bound.enforced : allowsMore(name, limits[name], ceiling)) {
      throw exceeds(name, bound);
    }
  }
}

function exceeds(name: GuardedLimitName, bound: Bound): Error {
  return forbidden(`'${name}' may not exceed ${bound.source}'s ${name} (${JSON.stringify(bound.limits[name])})`, name);
}
