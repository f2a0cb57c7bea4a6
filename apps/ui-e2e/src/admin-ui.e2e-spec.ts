import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { RunningSystem } from '@switchboard/testing';
import { injectedElements, openBrowser, screenshot, seriousViolations } from './browser';
import type { OpenBrowser } from './browser';
import { manage, startUiSystem } from './ui-system';
import type { UiSystem } from './ui-system';

const probe = '<img src=x onerror="window.__xss=1">';
const teamName = `Search ${probe}`;
const keyAlias = `search-key ${probe}`;
const pages = [
  ['keys', 'Virtual keys'],
  ['teams', 'Teams'],
  ['users', 'Users'],
  ['organizations', 'Organizations'],
  ['customers', 'Customers'],
  ['models', 'Models'],
  ['usage', 'Usage'],
  ['logs', 'Logs'],
  ['playground', 'Playground'],
  ['settings', 'Settings'],
] as const;

/** Every page the tests look at: no serious accessibility violation, no injected element, no dialog. */
async function inspect(browser: OpenBrowser, name: string): Promise<void> {
  const violations = await seriousViolations(browser.page);
  expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  expect(await injectedElements(browser.page)).toEqual({ images: 0, ran: false });
  expect(browser.dialogs).toEqual([]);
  await screenshot(browser.page, name);
}

async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/ui`);
  await page.getByLabel('Master key or virtual key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Virtual keys' }).waitFor();
}

async function openPage(page: Page, label: string, heading: string): Promise<void> {
  await page.getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
}

async function choose(page: Page, scope: ReturnType<Page['getByRole']>, label: string, option: string): Promise<void> {
  await scope.getByLabel(label, { exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('admin UI in a real browser (Chromium) against the running system', () => {
  let ui: UiSystem;
  let system: RunningSystem;
  let admin: OpenBrowser;
  let keyUser: OpenBrowser | undefined;
  let secret = '';

  beforeAll(async () => {
    ui = await startUiSystem();
    system = ui.system;
    admin = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    await keyUser?.close();
    await admin?.close();
    await ui?.stop();
  });

  it('signs in with the master key; the session cookie is HttpOnly and SameSite=Strict', async () => {
    await admin.page.goto(`${system.baseUrl}/ui`);
    await admin.page.getByRole('heading', { name: 'Switchboard' }).waitFor();
    await inspect(admin, 'sign-in');
    await admin.page.getByLabel('Master key or virtual key').fill(system.masterKey);
    await admin.page.getByRole('button', { name: 'Sign in' }).click();
    await admin.page.getByRole('heading', { name: 'Virtual keys' }).waitFor();
    const [cookie] = (await admin.context.cookies()).filter((candidate) => candidate.name === 'sb_ui_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await admin.page.evaluate(() => document.cookie)).toBe('');
  }, 60_000);

  it('creates a team with a budget; its name renders as text', async () => {
    await openPage(admin.page, 'Teams', 'Teams');
    await admin.page.getByRole('button', { name: 'Create team' }).click();
    const dialog = admin.page.getByRole('dialog');
    await dialog.getByLabel('Team name').fill(teamName);
    await dialog.getByLabel('Max budget (USD)').fill('10');
    await dialog.getByRole('button', { name: 'Create team' }).click();
    await dialog.waitFor({ state: 'detached' });
    await admin.page.getByRole('cell', { name: teamName }).waitFor();
    await inspect(admin, 'teams');
  }, 60_000);

  it('creates a key with a budget in that team; the key is shown once, with a copy button, and never again', async () => {
    await openPage(admin.page, 'Virtual keys', 'Virtual keys');
    await admin.page.getByRole('button', { name: 'Create key' }).click();
    const dialog = admin.page.getByRole('dialog');
    await dialog.getByLabel('Key alias').fill(keyAlias);
    await choose(admin.page, dialog, 'Team', teamName);
    await dialog.getByLabel('Max budget (USD)').fill('5');
    await dialog.getByLabel('Budget period').fill('30d');
    await dialog.getByLabel('Requests per minute').fill('100');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const shown = admin.page.getByTestId('new-secret');
    await shown.waitFor();
    secret = (await shown.textContent()) ?? '';
    expect(secret).toMatch(/^sk-[A-Za-z0-9_-]{20,}$/);
    await expect(admin.page.getByRole('button', { name: 'Copy key' }).isVisible()).resolves.toBe(true);
    await inspect(admin, 'key-created');
    await admin.page.getByRole('button', { name: 'Done' }).click();
    await admin.page.getByRole('dialog').waitFor({ state: 'detached' });
    const row = admin.page.getByRole('row').filter({ hasText: keyAlias });
    await row.waitFor();
    expect(await row.textContent()).toContain(`sk-...${secret.slice(-4)}`);
    expect(await row.textContent()).toContain('$5.00 per 30d');
    expect(await row.textContent()).toContain(teamName);
    expect(await admin.page.content()).not.toContain(secret);
    await inspect(admin, 'keys');
  }, 60_000);

  it('uses the key in the playground and sees the streamed answer with its latency, tokens and cost', async () => {
    keyUser = await openBrowser();
    await signIn(keyUser.page, system.baseUrl, secret);
    await openPage(keyUser.page, 'Playground', 'Playground');
    await choose(keyUser.page, keyUser.page.getByRole('main'), 'Model', 'priced');
    await keyUser.page.getByLabel('Message').fill(`Say hello ${probe}`);
    await keyUser.page.getByRole('button', { name: 'Send' }).click();
    await keyUser.page.getByTestId('answer').filter({ hasText: 'Hello from the fake upstream.' }).waitFor();
    const stats = (await keyUser.page.getByTestId('answer-stats').textContent()) ?? '';
    expect(stats).toMatch(/first token \d+ ms/);
    expect(stats).toContain('11 + 7 tokens');
    expect(stats).toContain('cost $0.0000235');
    expect(await keyUser.page.getByTestId('question').textContent()).toBe(`Say hello ${probe}`);
    await inspect(keyUser, 'playground');
  }, 60_000);

  it('finds the request in Logs with its cost and stored prompt', async () => {
    await openPage(admin.page, 'Logs', 'Logs');
    const row = admin.page.getByRole('row').filter({ hasText: keyAlias });
    const deadline = Date.now() + 15_000;
    while ((await row.count()) === 0 && Date.now() < deadline) {
      await admin.page.getByRole('button', { name: 'Apply filters' }).click();
      await admin.page.waitForTimeout(300);
    }
    await row.first().waitFor();
    expect(await row.first().textContent()).toContain('$0.0000235');
    await row.first().getByRole('button').click();
    const drawer = admin.page.getByRole('dialog');
    await drawer.getByText('Request detail').waitFor();
    expect(await drawer.getByTestId('log-prompt').textContent()).toContain(`Say hello ${probe}`);
    expect(await drawer.textContent()).toContain('11 / 7');
    await inspect(admin, 'log-detail');
    await admin.page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
  }, 60_000);

  it('shows the request in the Usage chart and totals', async () => {
    await openPage(admin.page, 'Usage', 'Usage');
    await admin.page.getByTestId('total-requests').waitFor();
    expect(Number((await admin.page.getByTestId('total-requests').textContent())?.replace(/,/g, ''))).toBeGreaterThanOrEqual(1);
    expect(await admin.page.getByTestId('total-spend').textContent()).not.toBe('$0.00');
    await admin.page.locator('.recharts-bar-rectangle').first().waitFor();
    expect(await admin.page.getByRole('cell', { name: 'priced' }).count()).toBeGreaterThan(0);
    await inspect(admin, 'usage');
  }, 60_000);

  it('blocks the key, and the playground is refused', async () => {
    await openPage(admin.page, 'Virtual keys', 'Virtual keys');
    await admin.page.getByRole('button', { name: `Block ${keyAlias}` }).click();
    await admin.page.getByRole('row').filter({ hasText: keyAlias }).getByText('blocked').waitFor();
    const page = keyUser?.page as Page;
    await page.getByLabel('Message').fill('Again');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByTestId('playground-error').waitFor();
    expect(await page.getByTestId('playground-error').textContent()).toContain('Key is blocked');
  }, 60_000);

  it('an internal user signs in with their own key and sees only their objects', async () => {
    await manage(system, '/user/new', { user_id: 'ui-internal', user_role: 'internal_user', auto_create_key: false });
    const own = (await manage(system, '/key/generate', { user_id: 'ui-internal', key_alias: 'internal-own' })) as { key: string };
    const internal = await openBrowser();
    try {
      await signIn(internal.page, system.baseUrl, own.key);
      const rows = internal.page.getByRole('row');
      await rows.filter({ hasText: 'internal-own' }).waitFor();
      expect(await rows.count()).toBe(2);
      expect(await internal.page.getByText(keyAlias).count()).toBe(0);
      await openPage(internal.page, 'Teams', 'Teams');
      await internal.page.getByText('No teams yet.').waitFor();
      expect(await internal.page.getByText(teamName).count()).toBe(0);
      expect(await internal.page.getByRole('link', { name: 'Customers' }).count()).toBe(0);
      await openPage(internal.page, 'Usage', 'Usage');
      await internal.page.getByText('No usage in this period.').waitFor();
      await inspect(internal, 'internal-user-usage');
    } finally {
      await internal.close();
    }
  }, 60_000);

  it('every page passes axe (no serious or critical violations) and renders probe strings as text, at 1280 px', async () => {
    for (const [path, heading] of pages) {
      await admin.page.goto(`${system.baseUrl}/ui/${path}`);
      await admin.page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await admin.page.waitForLoadState('networkidle');
      await inspect(admin, `page-${path}`);
    }
  }, 120_000);

  it('works at phone width: navigation in a drawer, no page wider than the screen', async () => {
    await admin.page.setViewportSize({ width: 390, height: 844 });
    for (const [path, heading] of pages) {
      await admin.page.goto(`${system.baseUrl}/ui/${path}`);
      await admin.page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await admin.page.waitForLoadState('networkidle');
      expect(await admin.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), path).toBe(true);
      if (path === 'keys' || path === 'usage') await inspect(admin, `phone-${path}`);
    }
    await admin.page.getByRole('button', { name: 'Toggle navigation' }).click();
    await admin.page.getByRole('link', { name: 'Teams' }).click();
    await admin.page.getByRole('heading', { name: 'Teams', exact: true }).waitFor();
    await admin.page.setViewportSize({ width: 1280, height: 800 });
  }, 120_000);

  it('signs out: back to the sign-in page, and the old session no longer works', async () => {
    const [cookie] = (await admin.context.cookies()).filter((candidate) => candidate.name === 'sb_ui_session');
    await admin.page.getByRole('button', { name: 'Sign out' }).click();
    await admin.page.getByLabel('Master key or virtual key').waitFor();
    expect((await admin.context.cookies()).filter((candidate) => candidate.name === 'sb_ui_session')).toEqual([]);
    const reused = await fetch(`${system.baseUrl}/key/list`, { headers: { cookie: `sb_ui_session=${cookie.value}` } });
    expect(reused.status).toBe(401);
  }, 60_000);
});
