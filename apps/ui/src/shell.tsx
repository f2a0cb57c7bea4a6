import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { NavLink as RouterLink, Outlet, useLocation } from 'react-router';
import { useSession, useSignedIn } from './session';

const pages = [
  { path: 'keys', label: 'Virtual keys' },
  { path: 'teams', label: 'Teams' },
  { path: 'users', label: 'Users' },
  { path: 'organizations', label: 'Organizations' },
  { path: 'customers', label: 'Customers', admin: true },
  { path: 'models', label: 'Models' },
  { path: 'usage', label: 'Usage' },
  { path: 'logs', label: 'Logs' },
  { path: 'playground', label: 'Playground' },
  { path: 'settings', label: 'Settings' },
];

/** The frame of every page: navigation (a drawer on phones), who is signed in, sign-out. */
export function Shell() {
  const session = useSignedIn();
  const { signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={2} size="h4">
              Switchboard
            </Title>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Stack gap={0} visibleFrom="sm" align="flex-end">
              <Text size="sm" fw={500} data-testid="signed-in-as">
                {session.key_alias ?? session.user_id ?? 'signed in'}
              </Text>
              <Badge size="xs" variant="light">
                {session.user_role}
              </Badge>
            </Stack>
            <Button size="xs" variant="default" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Pages">
        {pages
          .filter((page) => !page.admin || session.user_role.startsWith('proxy_admin'))
          .map((page) => (
            <NavLink key={page.path} component={RouterLink} to={`/${page.path}`} label={page.label} active={location.pathname.startsWith(`/${page.path}`)} onClick={close} />
          ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
