import { Inject, Injectable } from '@nestjs/common';
import { busPatterns, parseCallerLogging } from '@switchboard/contracts';
import type { CallerLogging, KeyIdentity, VerifyKeyReply, VerifyKeyStatus } from '@switchboard/contracts';
import { accessGroupsOf, hashApiKey, resolveAllowedModels } from '@switchboard/identity';
import type { NatsBusClient } from '@switchboard/messaging';
import { SwitchboardError } from '@switchboard/spec';
import { teamCallbackSettings } from '@switchboard/config';
import type { SwitchboardConfig } from '@switchboard/config';
import { BUS_CLIENT, GATEWAY_SETTINGS, MASTER_KEY, SWITCHBOARD_CONFIG } from '../bootstrap/tokens';
import type { GatewaySettings } from '../gateway-settings.schema';
import { ModelRouter } from '../routing/model-router.service';
import { IdentityCache } from './identity-cache';
import type { CachedVerification, RefusalDeadline } from './identity-cache';
import type { KeyVerifier, VerifiedKey } from './key-verifier';
import { MasterKeyVerifier } from './master-key.verifier';

/** LiteLLM's wording, so scripts and SDK error handling that match on it keep working. */
const refusals: Record<Exclude<VerifyKeyStatus, 'valid'>, string> = {
  not_found: 'Authentication Error, Invalid proxy server token passed. Unable to find token in cache or the database.',
  blocked: 'Authentication Error, Key is blocked. Update via /key/unblock if you are the owner.',
  expired: 'Authentication Error - Expired Key.',
  team_blocked: 'Authentication Error, Team is blocked. Update via /team/unblock if you are the owner.',
};

/**
 * Verifies the master key (constant time) and virtual keys: from the in-memory cache, else once
 * from the auth service over NATS (concurrent misses for one key share the request). When the
 * auth service cannot be reached, keys verified within the TTL keep working and unknown keys get
 * 503, never let through.
 */
@Injectable()
export class VirtualKeyVerifier implements KeyVerifier {
  readonly cache = new IdentityCache();
  private readonly master: MasterKeyVerifier;
  private readonly pending = new Map<string, Promise<CachedVerification>>();

  constructor(
    @Inject(MASTER_KEY) masterKey: string,
    @Inject(BUS_CLIENT) private readonly bus: NatsBusClient,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(ModelRouter) private readonly router: ModelRouter,
    @Inject(SWITCHBOARD_CONFIG) config: SwitchboardConfig,
  ) {
    this.master = new MasterKeyVerifier(masterKey);
    this.allowOnAuthUnavailable = config.generalSettings.allow_requests_on_db_unavailable === true;
    this.teamCallbacks = teamCallbackSettings(config.litellmSettings.default_team_settings);
  }

  /** `litellm_settings.default_team_settings`: the config's callbacks per team id. */
  private readonly teamCallbacks: ReadonlyMap<string, CallerLogging[]>;

  /** `general_settings.allow_requests_on_db_unavailable`: see `unverified`. */
  private readonly allowOnAuthUnavailable: boolean;

  /**
   * LiteLLM's `allow_requests_on_db_unavailable`: while the auth service (the database) cannot be
   * reached, a key that cannot be verified is let through as a plain key with no limits or model
   * restrictions, spend recorded under its hash. Not cached, so the key is verified for real as
   * soon as the auth service answers. Only for gateways inside a network where every caller is trusted.
   */
  private unverified(keyHash: string): CachedVerification {
    return { verified: { caller: { keyHash, keyId: keyHash }, isMasterKey: false } };
  }

  async verify(key: string): Promise<VerifiedKey> {
    if (this.master.matches(key)) return this.master.verified;
    if (!key.startsWith('sk-')) throw new SwitchboardError('authentication', "Authentication Error, LiteLLM virtual key expected. Keys start with 'sk-'.", { param: null });
    return this.verifyHash(hashApiKey(key));
  }

  /** Verifies a virtual key known by its hash: an admin UI session keeps the hash, never the key. */
  async verifyHash(keyHash: string): Promise<VerifiedKey> {
    const result = this.cache.get(keyHash) ?? (await this.lookup(keyHash));
    if ('refusal' in result) throw new SwitchboardError('authentication', result.refusal, { param: null });
    return result.verified;
  }

  /** The master key's identity (an admin UI session signed in as the proxy admin acts as it). */
  get masterKey(): VerifiedKey {
    return this.master.verified;
  }

  private lookup(keyHash: string): Promise<CachedVerification> {
    const running = this.pending.get(keyHash);
    if (running) return running;
    const lookup = this.ask(keyHash).finally(() => this.pending.delete(keyHash));
    this.pending.set(keyHash, lookup);
    return lookup;
  }

  private async ask(keyHash: string): Promise<CachedVerification> {
    let reply: VerifyKeyReply;
    try {
      reply = await this.bus.request<VerifyKeyReply>(busPatterns.authVerifyKey, { key_hash: keyHash }, { timeoutMs: this.settings.AUTH_TIMEOUT_MS, service: 'The auth service' });
    } catch {
      if (this.allowOnAuthUnavailable) return this.unverified(keyHash);
      throw new SwitchboardError('upstream_unavailable', 'The auth service is unavailable: this key cannot be verified right now', { retryAfterSeconds: 1 });
    }
    if (!reply?.status) throw new SwitchboardError('upstream_unavailable', 'The auth service could not verify this key right now', { retryAfterSeconds: 1 });
    if (reply.status !== 'valid' || !reply.identity) {
      const result = { refusal: refusals[reply.status === 'valid' ? 'not_found' : reply.status] };
      this.cache.set(keyHash, result, this.settings.AUTH_NEGATIVE_CACHE_SECONDS * 1000);
      return result;
    }
    const identity = reply.identity;
    const deployments = this.router.allDeployments();
    const allowedModels = resolveAllowedModels([identity.keyModels, identity.teamModels, identity.userModels], {
      modelNames: this.router.modelNames(),
      accessGroups: accessGroupsOf(deployments),
    });
    const verified: VerifiedKey = {
      caller: {
        // The active key's hash: a regenerated key's old value, in its grace period, spends as the new key.
        keyHash: identity.keyHash,
        // Spend is recorded under the key's stable id, so a regenerated key keeps its spend and budget.
        keyId: identity.keyId ?? identity.keyHash,
        keyAlias: identity.keyAlias,
        userId: identity.userId,
        teamId: identity.teamId,
        organizationId: identity.organizationId,
        tags: identity.tags.length ? identity.tags : undefined,
        logging: callerLogging(identity, this.teamCallbacks.get(identity.teamId ?? '')),
      },
      isMasterKey: identity.userRole === 'proxy_admin',
      allowedModels,
      identity,
    };
    const result = { verified };
    const deadline = refusalDeadline(identity);
    if (deadline && deadline.at <= Date.now()) {
      // Expired or revoked between the auth service's answer and now.
      this.cache.set(keyHash, { refusal: deadline.refusal }, this.settings.AUTH_NEGATIVE_CACHE_SECONDS * 1000);
      return { refusal: deadline.refusal };
    }
    this.cache.set(keyHash, result, this.settings.AUTH_CACHE_TTL_SECONDS * 1000, deadline);
    return result;
  }
}

/**
 * The instant a verified key value stops working, whichever comes first: its expiry (refused as
 * expired) or, for a regenerated key's old value, the end of its grace period (refused as unknown,
 * as the auth service answers once the old value is gone).
 */
export function refusalDeadline(identity: Pick<KeyIdentity, 'expiresAt' | 'revokeAt'>): RefusalDeadline | undefined {
  const expiresAt = identity.expiresAt ? Date.parse(identity.expiresAt) : NaN;
  const revokeAt = identity.revokeAt ? Date.parse(identity.revokeAt) : NaN;
  if (Number.isNaN(expiresAt) && Number.isNaN(revokeAt)) return undefined;
  if (Number.isNaN(revokeAt) || expiresAt <= revokeAt) return { at: expiresAt, refusal: refusals.expired };
  return { at: revokeAt, refusal: refusals.not_found };
}

/**
 * Per-key and per-team callbacks (LiteLLM's `metadata.logging`): the key's entries, then its team's,
 * each destination once. The logging service resolves and delivers them; the gateway only carries them.
 */
function callerLogging(identity: KeyIdentity, configTeam: readonly CallerLogging[] = []): CallerLogging[] | undefined {
  // The key's own, its team's (metadata.logging), then the config's default_team_settings for its team.
  const entries = [...parseCallerLogging(identity.metadata?.logging), ...parseCallerLogging(identity.teamLogging), ...configTeam];
  const seen = new Set<string>();
  const unique = entries.filter((entry) => {
    const signature = JSON.stringify([entry.callback_name, entry.callback_type, Object.entries(entry.callback_vars).sort()]);
    if (seen.has(signature)) return false;
    seen.add(signature);
    return true;
  });
  return unique.length ? unique : undefined;
}
