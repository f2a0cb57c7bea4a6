import { master } from './management-harness';
import type { Json, ManagementHarness } from './management-harness';

/** The limits a proxy admin puts on every actor's key (its users have none of their own): what the actors try to lift. */
export const actorKeyLimits = {
  models: ['gpt'],
  max_budget: 10,
  soft_budget: 5,
  tpm_limit: 100,
  rpm_limit: 10,
  max_parallel_requests: 2,
  model_max_budget: { gpt: { budget_limit: 1, time_period: '1d' } },
  model_rpm_limit: { gpt: 5 },
  model_tpm_limit: { gpt: 50 },
  budget_duration: '30d',
  duration: '30d',
  key_type: 'management',
} as const;

export interface Person {
  userId: string;
  /** A personal key the proxy admin minted with `actorKeyLimits`. */
  key: string;
  /** A key of this user the proxy admin blocked. */
  blockedKey: string;
}

/**
 * Two organizations as a proxy admin sets them up (integration tests only). Organization A
 * (models gpt and mini, budget 100) holds a proxy admin (`root`) and a viewer of the whole proxy
 * (`auditor`), an organization admin, and team T (models gpt, budget 50) with its admin, a member,
 * a viewer, and root and auditor as plain members; team T2 of A has no members. Organization B has team TB and its member;
 * `loner` belongs to no organization. `noUser` is a key with no user.
 */
export interface World {
  organizationA: string;
  organizationB: string;
  teamT: string;
  teamT2: string;
  teamTB: string;
  /** `teamKey`: a key of root in team T, which T's admin administers as a team key but must not take over. */
  root: Person & { teamKey: string };
  auditor: Person;
  orgAdmin: Person;
  teamAdmin: Person;
  member: Person & { teamKey: string };
  viewer: Person;
  bMember: Person;
  /** A user of organization A whom the proxy admin also made a member of B's team TB. */
  straddler: Person;
  loner: Person;
  noUser: { key: string; blockedKey: string };
  storedModelId: string;
}

export async function buildWorld(harness: ManagementHarness): Promise<World> {
  const id = async (operation: string, body: Json, field: string) => String((await harness.ok(master, operation, body))[field]);
  const organizationA = await id('organization/new', { organization_alias: 'alpha', models: ['gpt', 'mini'], max_budget: 100, tpm_limit: 1000 }, 'organization_id');
  const organizationB = await id('organization/new', { organization_alias: 'beta', models: ['gpt'] }, 'organization_id');
  const keyOf = async (userId: string | undefined, extra: Json = {}) => id('key/generate', { ...actorKeyLimits, ...(userId ? { user_id: userId } : {}), ...extra }, 'key');
  const person = async (name: string, organizationId: string | undefined, role = 'internal_user'): Promise<Person> => {
    const userId = await id('user/new', { user_id: name, user_email: `${name}@example.com`, user_role: role, organization_id: organizationId, auto_create_key: false }, 'user_id');
    return { userId, key: await keyOf(userId), blockedKey: await keyOf(userId, { blocked: true }) };
  };
  const root = await person('root', organizationA, 'proxy_admin');
  const auditor = await person('auditor', organizationA, 'proxy_admin_viewer');
  const orgAdmin = await person('org-admin', organizationA);
  await harness.ok(master, 'organization/member_add', { organization_id: organizationA, member: { user_id: orgAdmin.userId, role: 'org_admin' } });
  const teamAdmin = await person('team-admin', organizationA);
  const member = await person('member', organizationA);
  const viewer = await person('viewer', organizationA, 'internal_user_viewer');
  const bMember = await person('b-member', organizationB);
  const loner = await person('loner', undefined);
  const straddler = await person('straddler', organizationA);
  const teamT = await id(
    'team/new',
    {
      team_id: 'team-t',
      team_alias: 'alpha-search',
      organization_id: organizationA,
      models: ['gpt'],
      max_budget: 50,
      tpm_limit: 500,
      members_with_roles: [
        { user_id: teamAdmin.userId, role: 'admin' },
        { user_id: member.userId, role: 'user' },
        { user_id: viewer.userId, role: 'user' },
        { user_id: root.userId, role: 'user' },
        { user_id: auditor.userId, role: 'user' },
      ],
    },
    'team_id',
  );
  const teamT2 = await id('team/new', { team_id: 'team-t2', team_alias: 'alpha-ads', organization_id: organizationA, models: ['gpt'] }, 'team_id');
  const teamTB = await id('team/new', { team_id: 'team-tb', team_alias: 'beta-search', organization_id: organizationB, members_with_roles: [{ user_id: bMember.userId, role: 'admin' }, { user_id: straddler.userId, role: 'user' }] }, 'team_id');
  const teamKey = await keyOf(member.userId, { team_id: teamT });
  const rootTeamKey = await keyOf(root.userId, { team_id: teamT });
  const noUser = { key: await keyOf(undefined), blockedKey: await keyOf(undefined, { blocked: true }) };
  await harness.ok(master, 'model/new', { model_name: 'stored', litellm_params: { model: 'openai/gpt-4o', api_key: 'os.environ/STORED_KEY' }, model_info: { id: 'stored-1' } });
  return { organizationA, organizationB, teamT, teamT2, teamTB, root: { ...root, teamKey: rootTeamKey }, auditor, orgAdmin, teamAdmin, member: { ...member, teamKey }, viewer, bMember, straddler, loner, noUser, storedModelId: 'stored-1' };
}
