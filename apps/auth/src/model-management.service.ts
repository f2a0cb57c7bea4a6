import { randomUUID } from 'node:crypto';
import type { StoredModel } from '@switchboard/contracts';
import type { JsonObject, StoredModelEntity, Values } from '@switchboard/data-access-identity';
import { SecretBox, isSecretParam } from '@switchboard/identity';
import type { ChangePublisher } from './change-publisher';
import type { IdentityStore } from './identity-store';
import type { CommandScope } from './key-management.service';
import { invalidField, notFound } from './management-error';
import { modelFields, modelUpdateFields, parseFields, requiredId } from './request-fields';

/**
 * Deployments stored in the database (`/model/new`, `/model/update`, `/model/delete`). Credentials
 * are encrypted with the salt key before they reach a row; every gateway reloads the list when a
 * `changed` event says `models`. `/model/info` is served by the gateway, which knows the config too.
 */
export class ModelManagementService {
  constructor(
    private readonly store: IdentityStore,
    private readonly changes: ChangePublisher,
    private readonly secrets: SecretBox | undefined,
  ) {}

  async create(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const fields = parseFields(modelFields, body);
    const modelName = requiredId(fields.model_name, 'model_name');
    if (!fields.litellm_params) throw invalidField('litellm_params', "'litellm_params' with a 'model' is required");
    const modelId = typeof fields.model_info?.id === 'string' ? fields.model_info.id : randomUUID();
    if (await this.store.tables.models.find(modelId)) throw invalidField('model_info.id', `Model ${modelId} already exists`);
    const row = await this.store.tables.models.insert({
      model_id: modelId,
      model_name: modelName,
      litellm_params: this.encrypt(fields.litellm_params),
      model_info: { ...fields.model_info, id: modelId },
      created_by: scope.auditName,
      updated_by: scope.auditName,
    });
    this.changes.publish({ models: true });
    return redacted(row);
  }

  async update(scope: CommandScope, body: Record<string, unknown>, pathModelId: string | undefined): Promise<JsonObject> {
    const fields = parseFields(modelUpdateFields, body);
    const modelId = requiredId(pathModelId ?? fields.model_info?.id ?? body.model_id, 'model_info.id');
    const row = await this.store.tables.models.find(modelId);
    if (!row) throw notFound('Model', modelId, 'model_info.id');
    const patch: Values<StoredModelEntity> = { updated_by: scope.auditName };
    if (fields.model_name) patch.model_name = fields.model_name;
    if (fields.litellm_params) patch.litellm_params = this.encrypt({ ...row.litellm_params, ...fields.litellm_params });
    if (fields.model_info) patch.model_info = { ...row.model_info, ...fields.model_info, id: modelId };
    const updated = await this.store.tables.models.update(modelId, patch);
    this.changes.publish({ models: true });
    return redacted(updated ?? row);
  }

  async delete(scope: CommandScope, body: Record<string, unknown>): Promise<JsonObject> {
    const modelId = requiredId(body.id, 'id');
    if (!(await this.store.tables.models.delete(modelId))) throw notFound('Model', modelId, 'id');
    this.changes.publish({ models: true });
    return { message: `Model: ${modelId} deleted successfully` };
  }

  /** Every stored deployment, credentials still encrypted (the worker decrypts them). */
  async all(): Promise<StoredModel[]> {
    const rows = await this.store.tables.models.findBy([]);
    return rows.map((row) => ({
      model_id: String(row.model_id),
      model_name: String(row.model_name),
      litellm_params: row.litellm_params as StoredModel['litellm_params'],
      model_info: row.model_info as Record<string, unknown>,
    }));
  }

  private encrypt(params: Record<string, unknown> & { model: string }): Record<string, unknown> & { model: string } {
    const result: Record<string, unknown> & { model: string } = { ...params };
    for (const [name, value] of Object.entries(params)) {
      if (!isSecretParam(name) || typeof value !== 'string' || value.startsWith('os.environ/') || SecretBox.isEncrypted(value)) continue;
      if (!this.secrets) throw invalidField(`litellm_params.${name}`, 'Storing credentials needs a salt key (SALT_KEY or LITELLM_SALT_KEY); or reference one with os.environ/NAME');
      result[name] = this.secrets.encrypt(value);
    }
    return result;
  }
}

/** A stored model as the management API shows it: credentials replaced by `"*****"`. */
function redacted(row: StoredModelEntity): JsonObject {
  const params: JsonObject = { ...row.litellm_params };
  for (const name of Object.keys(params)) if (isSecretParam(name)) params[name] = '*****';
  return { model_id: row.model_id, model_name: row.model_name, litellm_params: params, model_info: { ...row.model_info, db_model: true } };
}
