import { Inject, Injectable } from '@nestjs/common';
import type { ModelDeployment, SwitchboardConfig } from '@switchboard/config';
import { SwitchboardError } from '@switchboard/spec';
import { SWITCHBOARD_CONFIG } from '../bootstrap/tokens';

interface ModelGroup {
  name: string;
  deployments: ModelDeployment[];
  /** Cumulative weights for a weighted pick (`weight`, else `rpm`, else `tpm`, else 1). */
  cumulativeWeights: number[];
}

/**
 * Maps a requested model name to one deployment of its model group.
 * Weighted random pick (LiteLLM's simple-shuffle); the full router comes with the routing issue.
 */
@Injectable()
export class ModelRouter {
  private readonly groups = new Map<string, ModelGroup>();

  constructor(@Inject(SWITCHBOARD_CONFIG) config: SwitchboardConfig) {
    for (const deployment of config.modelList) {
      const group = this.groups.get(deployment.modelName) ?? { name: deployment.modelName, deployments: [], cumulativeWeights: [] };
      group.deployments.push(deployment);
      this.groups.set(deployment.modelName, group);
    }
    for (const group of this.groups.values()) {
      let total = 0;
      group.cumulativeWeights = group.deployments.map((deployment) => (total += deploymentWeight(deployment)));
    }
  }

  modelNames(): string[] {
    return [...this.groups.keys()];
  }

  group(name: string): ModelGroup | undefined {
    return this.groups.get(name);
  }

  pick(modelName: string): ModelDeployment {
    const group = this.groups.get(modelName);
    if (!group) {
      throw new SwitchboardError('model_not_found', `The model '${modelName}' does not exist or is not configured`, {
        param: 'model',
      });
    }
    if (group.deployments.length === 1) return group.deployments[0];
    const total = group.cumulativeWeights[group.cumulativeWeights.length - 1];
    const target = Math.random() * total;
    const index = group.cumulativeWeights.findIndex((weight) => target < weight);
    return group.deployments[index < 0 ? group.deployments.length - 1 : index];
  }
}

function deploymentWeight(deployment: ModelDeployment): number {
  const params = deployment.params;
  for (const value of [params.weight, params.rpm, params.tpm]) {
    if (typeof value === 'number' && value > 0) return value;
  }
  return 1;
}
