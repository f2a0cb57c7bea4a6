/** One per-team callback, in the shape of a team's `metadata.logging` entry (LiteLLM's team based logging). */
export interface TeamCallbackSetting {
  callback_name: string;
  callback_type: 'success' | 'failure' | 'success_and_failure';
  callback_vars: Record<string, string>;
}

const lists: Array<['success_callback' | 'failure_callback' | 'callbacks', TeamCallbackSetting['callback_type']]> = [
  ['success_callback', 'success'],
  ['failure_callback', 'failure'],
  ['callbacks', 'success_and_failure'],
];

/**
 * LiteLLM's `litellm_settings.default_team_settings`: per team, its callbacks with the entry's other
 * keys as their settings (values as written: literals or `os.environ/NAME`, resolved by the logging service).
 */
export function teamCallbackSettings(value: unknown): Map<string, TeamCallbackSetting[]> {
  const byTeam = new Map<string, TeamCallbackSetting[]>();
  if (!Array.isArray(value)) return byTeam;
  for (const entry of value) {
    if (!entry || typeof entry !== 'object') continue;
    const { team_id: teamId, success_callback: _success, failure_callback: _failure, callbacks: _callbacks, ...rest } = entry as Record<string, unknown>;
    if (typeof teamId !== 'string') continue;
    const vars: Record<string, string> = {};
    for (const [name, setting] of Object.entries(rest)) if (typeof setting === 'string' || typeof setting === 'number' || typeof setting === 'boolean') vars[name] = String(setting);
    const settings = lists.flatMap(([field, type]) => {
      const names = (entry as Record<string, unknown>)[field];
      return Array.isArray(names) ? names.filter((name): name is string => typeof name === 'string').map((name) => ({ callback_name: name, callback_type: type, callback_vars: vars })) : [];
    });
    byTeam.set(teamId, [...(byTeam.get(teamId) ?? []), ...settings]);
  }
  return byTeam;
}
