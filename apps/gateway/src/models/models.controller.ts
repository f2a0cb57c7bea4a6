import { Controller, Get, Inject, Param, Req, UseGuards } from '@nestjs/common';
import type { SwitchboardConfig } from '@switchboard/config';
import { SwitchboardError } from '@switchboard/spec';
import { AuthGuard } from '../auth/auth.guard';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { SWITCHBOARD_CONFIG } from '../bootstrap/tokens';

interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/** `GET /v1/models` in OpenAI's list shape, from the configured model names the key may use. */
@Controller()
@UseGuards(AuthGuard)
export class ModelsController {
  private readonly models: ModelObject[];

  constructor(@Inject(SWITCHBOARD_CONFIG) config: SwitchboardConfig) {
    const created = Math.floor(Date.now() / 1000);
    const seen = new Map<string, ModelObject>();
    for (const deployment of config.modelList) {
      if (!seen.has(deployment.modelName)) {
        seen.set(deployment.modelName, { id: deployment.modelName, object: 'model', created, owned_by: deployment.provider });
      }
    }
    this.models = [...seen.values()];
  }

  @Get(['v1/models', 'models'])
  list(@Req() request: AuthenticatedRequest) {
    return { object: 'list', data: this.visible(request) };
  }

  @Get(['v1/models/:model', 'models/:model'])
  retrieve(@Req() request: AuthenticatedRequest, @Param('model') model: string) {
    const found = this.visible(request).find((candidate) => candidate.id === model);
    if (!found) throw new SwitchboardError('model_not_found', `The model '${model}' does not exist`, { param: 'model' });
    return found;
  }

  private visible(request: AuthenticatedRequest): ModelObject[] {
    const allowed = request.verifiedKey?.allowedModels;
    return allowed ? this.models.filter((model) => allowed.has(model.id)) : this.models;
  }
}
