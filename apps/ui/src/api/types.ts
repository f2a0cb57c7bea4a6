/** The shapes of the gateway's LiteLLM routes that the UI reads (only the fields it shows). */
export interface Limits {
  max_budget: number | null;
  soft_budget?: number | null;
  budget_duration: string | null;
  tpm_limit: number | null;
  rpm_limit: number | null;
  max_parallel_requests: number | null;
}

export interface Session {
  user_id: string | null;
  user_role: string;
  key_alias: string | null;
  login_method: string;
  is_proxy_admin: boolean;
  csrf_token: string;
  expires_at: string;
  trace_url: string | null;
}

export interface KeyRow extends Limits {
  token: string;
  key_name: string;
  key_alias: string | null;
  user_id: string | null;
  team_id: string | null;
  organization_id?: string | null;
  models: string[];
  tags?: string[];
  metadata: Record<string, unknown>;
  blocked: boolean | null;
  expires: string | null;
  spend: number;
  created_at?: string;
}

export interface KeyList {
  keys: KeyRow[];
  total_count: number;
  current_page: number;
  total_pages: number;
}

export interface Member {
  user_id: string;
  user_email?: string | null;
  role: string;
}

export interface TeamRow extends Limits {
  team_id: string;
  team_alias: string | null;
  organization_id: string | null;
  models: string[];
  members_with_roles: Member[];
  blocked: boolean;
  spend: number;
}

export interface UserRow extends Limits {
  user_id: string;
  user_email: string | null;
  user_alias?: string | null;
  user_role: string;
  models: string[];
  teams: string[];
  spend: number;
}

export interface UserList {
  users: UserRow[];
  total: number;
  page: number;
  page_size: number;
  total_pages: number;
}

export interface OrganizationRow extends Limits {
  organization_id: string;
  organization_alias: string | null;
  models: string[];
  members?: Array<{ user_id: string; user_role: string; user_email?: string | null }>;
  spend: number;
}

export interface CustomerRow extends Limits {
  user_id: string;
  alias: string | null;
  blocked: boolean;
  spend: number;
}

export interface DeploymentInfo {
  model_name: string;
  litellm_params: Record<string, unknown> & { model: string };
  model_info: Record<string, unknown> & { id: string; db_model: boolean };
}

export interface SpendLogRow {
  request_id: string;
  occurred_at: string;
  call_type: string;
  status: string;
  error_code: string | null;
  key_alias: string | null;
  user_id: string | null;
  team_id: string | null;
  customer_id: string | null;
  tags: string[] | null;
  model_group: string;
  deployment_id: string;
  provider: string;
  upstream_model: string;
  prompt_tokens: number;
  completion_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  spend: number;
  price_missing: boolean;
  latency_ms: number;
  time_to_first_token_ms?: number | null;
  attempt: number;
  messages: unknown;
  response: string | null;
}

export interface SpendReportDay {
  group_by_day: string;
  [list: string]: unknown;
}
