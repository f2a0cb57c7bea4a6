import { Entity, PrimaryColumn } from 'typeorm';
import type { IdentityLimits } from '@switchboard/contracts';
import { Audited, BooleanColumn, JsonColumn, TextColumn, TextListColumn, TimestampColumn } from './columns';

/*
 * The identity tables owned by the auth service (migration CreateIdentity1764000200000 and later).
 * Properties are the columns, under LiteLLM's field names (`team_id`, `max_budget` inside `limits`),
 * because the management API answers with the row: a view is the row, flattened.
 */

/** A member of a team (`members_with_roles`). */
export interface TeamMemberRecord {
  user_id: string;
  user_email?: string | null;
  role: string;
}

/** A member of an organization (`members`). */
export interface OrganizationMemberRecord {
  user_id: string;
  user_email?: string | null;
  user_role: string;
}

export type JsonObject = Record<string, unknown>;

@Entity({ name: 'identity_organizations' })
export class OrganizationEntity extends Audited {
  @PrimaryColumn({ type: 'text' })
  organization_id!: string;

  @TextColumn(true)
  organization_alias!: string | null;

  @TextListColumn()
  models!: string[];

  @JsonColumn()
  limits!: IdentityLimits;

  @JsonColumn()
  metadata!: JsonObject;

  @JsonColumn()
  members!: OrganizationMemberRecord[];

  @BooleanColumn()
  blocked!: boolean;
}

@Entity({ name: 'identity_teams' })
export class TeamEntity extends Audited {
  @PrimaryColumn({ type: 'text' })
  team_id!: string;

  @TextColumn(true)
  team_alias!: string | null;

  @TextColumn(true)
  organization_id!: string | null;

  @TextListColumn()
  models!: string[];

  @TextListColumn()
  tags!: string[];

  @JsonColumn()
  limits!: IdentityLimits;

  @JsonColumn()
  metadata!: JsonObject;

  @JsonColumn()
  members_with_roles!: TeamMemberRecord[];

  @BooleanColumn()
  blocked!: boolean;
}

@Entity({ name: 'identity_users' })
export class UserEntity extends Audited {
  @PrimaryColumn({ type: 'text' })
  user_id!: string;

  @TextColumn(true)
  user_email!: string | null;

  @TextColumn(true)
  user_alias!: string | null;

  /** One of LiteLLM's roles (`proxy_admin`, `proxy_admin_viewer`, `internal_user`, `internal_user_viewer`). */
  @TextColumn()
  user_role!: string;

  @TextColumn(true)
  organization_id!: string | null;

  @TextListColumn()
  models!: string[];

  @JsonColumn()
  limits!: IdentityLimits;

  @JsonColumn()
  metadata!: JsonObject;
}

/** An end user (LiteLLM's customer): the request's `user` / `x-litellm-customer-id`. */
@Entity({ name: 'identity_customers' })
export class CustomerEntity extends Audited {
  @PrimaryColumn({ type: 'text' })
  user_id!: string;

  @TextColumn(true)
  alias!: string | null;

  @BooleanColumn()
  blocked!: boolean;

  @TextColumn(true)
  allowed_model_region!: string | null;

  @TextColumn(true)
  default_model!: string | null;

  @JsonColumn()
  limits!: IdentityLimits;

  @JsonColumn()
  metadata!: JsonObject;
}

/** A virtual key, by its SHA-256 hash (`token`); the plaintext is never stored. */
@Entity({ name: 'identity_keys' })
export class KeyEntity extends Audited {
  @PrimaryColumn({ type: 'text' })
  token!: string;

  /** The key's stable id across regenerations; NULL: the token is the id. */
  @TextColumn(true)
  key_id!: string | null;

  /** `sk-...abcd`: the display name. */
  @TextColumn()
  key_name!: string;

  @TextColumn(true)
  key_alias!: string | null;

  @TextColumn(true)
  user_id!: string | null;

  @TextColumn(true)
  team_id!: string | null;

  @TextColumn(true)
  organization_id!: string | null;

  @TextListColumn()
  models!: string[];

  @TextListColumn()
  allowed_routes!: string[];

  @TextColumn(true)
  key_type!: string | null;

  @TextListColumn()
  tags!: string[];

  @JsonColumn()
  limits!: IdentityLimits;

  @JsonColumn()
  metadata!: JsonObject;

  @BooleanColumn()
  blocked!: boolean;

  @TimestampColumn({ nullable: true })
  expires!: string | null;
}

/** A deleted key, archived with who deleted it (the table has no key of its own; `token` may repeat). */
@Entity({ name: 'identity_deleted_keys' })
export class DeletedKeyEntity {
  @PrimaryColumn({ type: 'text' })
  token!: string;

  /** The key's row as it was. */
  @JsonColumn()
  key_row!: JsonObject;

  @TimestampColumn({ insert: false })
  deleted_at!: string;

  @TextColumn(true)
  deleted_by!: string | null;

  @TextColumn(true)
  litellm_changed_by!: string | null;
}

/** The old hash of a regenerated key, valid as the new key until `revoke_at`. */
@Entity({ name: 'identity_deprecated_keys' })
export class DeprecatedKeyEntity {
  @PrimaryColumn({ type: 'text' })
  token!: string;

  @TextColumn()
  active_token!: string;

  @TimestampColumn()
  revoke_at!: string;
}

/** A deployment stored with `/model/new`; secret params encrypted (`encrypted/<...>`). */
@Entity({ name: 'identity_models' })
export class StoredModelEntity extends Audited {
  @PrimaryColumn({ type: 'text' })
  model_id!: string;

  @TextColumn()
  model_name!: string;

  @JsonColumn()
  litellm_params!: JsonObject & { model: string };

  @JsonColumn()
  model_info!: JsonObject;
}

export const identityEntities = [OrganizationEntity, TeamEntity, UserEntity, CustomerEntity, KeyEntity, DeletedKeyEntity, DeprecatedKeyEntity, StoredModelEntity];
