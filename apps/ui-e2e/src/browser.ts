import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';

/** Debian's Chromium (`.ci/run` installs it); no browser is downloaded. */
export const chromiumPath = '/usr/bin/chromium';
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const screenshotsDirectory = fileURLToPath(new URL('../screenshots/', import.meta.url));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface OpenBrowser {
  context: BrowserContext;
  page: Page;
  /** Messages of every alert / confirm / prompt the page opened (the XSS probe wants none). */
  dialogs: string[];
  close(): Promise<void>;
}

/** A fresh Chromium profile (its own --user-data-dir), so no cookie or cache leaks between users. */
export async function openBrowser(viewport = { width: 1280, height: 800 }): Promise<OpenBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'switchboard-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: chromiumArgs, viewport, timeout: 30_000, reducedMotion: 'reduce' });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return {
    context,
    page,
    dialogs,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; html?: string; failureSummary?: string }>;
}

/** axe-core injected into the page (through the debugger protocol, so the page's CSP does not block it). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.map((node) => ({ target: node.target, html: node.html, failureSummary: node.failureSummary })) }));
  });
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}

/** Markup smuggled in through data never becomes an element or runs. */
export async function injectedElements(page: Page): Promise<{ images: number; ran: boolean }> {
  return page.evaluate(() => ({ images: document.querySelectorAll('img[src="x"]').length, ran: (window as unknown as { __xss?: number }).__xss !== undefined }));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotsDirectory, { recursive: true });
  await page.screenshot({ path: join(screenshotsDirectory, `${name}.png`) });
}
