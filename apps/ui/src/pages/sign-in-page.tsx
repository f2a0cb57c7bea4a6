import { Alert, Button, Card, Center, PasswordInput, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useSession } from '../session';

/** Sign-in as LiteLLM offers it: UI username and password, or an API key (master or virtual). */
export function SignInPage() {
  const { signIn } = useSession();
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = (credentials: { username: string; password: string } | { api_key: string }) => async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(credentials);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" p="md" component="main">
      <Card withBorder shadow="sm" p="lg" w={420} maw="100%">
        <Stack>
          <Title order={1} size="h2">
            Switchboard
          </Title>
          <Text size="sm" c="dimmed">
            Sign in to manage keys, teams, models and spend.
          </Text>
          {error && (
            <Alert color="red" role="alert" title="Sign-in failed">
              {error}
            </Alert>
          )}
          <Tabs defaultValue="key">
            <Tabs.List grow>
              <Tabs.Tab value="key">API key</Tabs.Tab>
              <Tabs.Tab value="password">Username and password</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="key" pt="md">
              <form onSubmit={submit({ api_key: apiKey })}>
                <Stack>
                  <PasswordInput label="Master key or virtual key" placeholder="sk-..." autoComplete="off" required value={apiKey} onChange={(event) => setApiKey(event.currentTarget.value)} />
                  <Button type="submit" loading={busy}>
                    Sign in
                  </Button>
                </Stack>
              </form>
            </Tabs.Panel>
            <Tabs.Panel value="password" pt="md">
              <form onSubmit={submit({ username, password })}>
                <Stack>
                  <TextInput label="Username" autoComplete="username" required value={username} onChange={(event) => setUsername(event.currentTarget.value)} />
                  <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.currentTarget.value)} />
                  <Button type="submit" loading={busy}>
                    Sign in
                  </Button>
                </Stack>
              </form>
            </Tabs.Panel>
          </Tabs>
        </Stack>
      </Card>
    </Center>
  );
}
