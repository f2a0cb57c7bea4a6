import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { LoadingState } from './components/page-state';
import { CustomersPage } from './pages/customers/customers-page';
import { KeysPage } from './pages/keys/keys-page';
import { LogsPage } from './pages/logs/logs-page';
import { ModelsPage } from './pages/models/models-page';
import { OrganizationsPage } from './pages/organizations/organizations-page';
import { PlaygroundPage } from './pages/playground/playground-page';
import { SettingsPage } from './pages/settings/settings-page';
import { SignInPage } from './pages/sign-in-page';
import { TeamsPage } from './pages/teams/teams-page';
import { UsersPage } from './pages/users/users-page';
import { useSession } from './session';
import { Shell } from './shell';

// The charting library is loaded only with the Usage page.
const UsagePage = lazy(() => import('./pages/usage/usage-page').then((module) => ({ default: module.UsagePage })));

export function App() {
  const { session } = useSession();
  if (session === undefined) return <LoadingState label="Checking your session" />;
  if (session === null) return <SignInPage />;
  return (
    <BrowserRouter basename="/ui">
      <Routes>
        <Route element={<Shell />}>
          <Route index element={<Navigate to="/keys" replace />} />
          <Route path="keys" element={<KeysPage />} />
          <Route path="teams" element={<TeamsPage />} />
          <Route path="users" element={<UsersPage />} />
          <Route path="organizations" element={<OrganizationsPage />} />
          <Route path="customers" element={<CustomersPage />} />
          <Route path="models" element={<ModelsPage />} />
          <Route path="usage" element={<Suspense fallback={<LoadingState />}><UsagePage /></Suspense>} />
          <Route path="logs" element={<LogsPage />} />
          <Route path="playground" element={<PlaygroundPage />} />
          <Route path="settings" element={<SettingsPage />} />
          <Route path="*" element={<Navigate to="/keys" replace />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
