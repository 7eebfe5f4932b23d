/**
 * Browser tests drive Debian's Chromium (/usr/bin/chromium, installed by .ci/run with apt-get)
 * through playwright-core, against real nodes on 127.0.0.1. Each page is watched: console
 * errors, uncaught exceptions and failed requests are collected so a test can assert there were
 * none, and every request (method, URL, body) is recorded so a test can prove a secret never
 * left the browser. Screenshots go to test-results/screenshots/ for a person to look at.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { findWebRoot } from '../../../src/api/routes/home.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

export const viewports = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 860 },
} as const;

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly body: string;
}

export interface WatchedPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors, page errors and failed requests, as text. */
  readonly problems: string[];
  readonly requests: RecordedRequest[];
  /**
   * Runs a navigation that leaves the document (a reload, another page). The requests the old
   * document still had in flight (a poll of /api/info) are aborted by the browser: that is not
   * a failure of the page, so net::ERR_ABORTED while it runs is not counted as a problem.
   */
  leave(navigation: () => Promise<unknown>): Promise<void>;
}

/**
 * Launches one Chromium for the test file (closed after it). Fails with a clear message when
 * Chromium or the dashboard build is missing, instead of a timeout later.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `no Chromium at ${CHROMIUM}: apt-get install -y chromium (see DEVELOPERS.md)`,
      );
    }
    if (!findWebRoot()) throw new Error('the dashboard is not built: run npm run build');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser did not start');
    return browser;
  };
}

/** A fresh browser context (own storage) and page, watched from its first request. */
export async function openPage(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number } = viewports.desktop,
): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems: string[] = [];
  const requests: RecordedRequest[] = [];
  // NOTE: Chromium aborts the requests in flight with net::ERR_NETWORK_CHANGED when any network
  // interface of the host comes or goes, which the namespace tests running beside these do (a
  // lab run at load 19 failed on it). It says nothing about the page; what the page then shows
  // is still checked by each test's own steps.
  const hostChanged = (text: string | undefined) => text?.includes('ERR_NETWORK_CHANGED') ?? false;
  let leaving = false;
  page.on('console', (message) => {
    if (message.type() === 'error' && !hostChanged(message.text())) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // An EventSource closed by navigation or by the test's end is not a failure of the page.
    if (request.url().endsWith('/api/events')) return;
    if (hostChanged(request.failure()?.errorText)) return;
    if (leaving && request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(
      `request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`,
    );
  });
  context.on('request', (request) => {
    requests.push({ method: request.method(), url: request.url(), body: request.postData() ?? '' });
  });
  const leave = async (navigation: () => Promise<unknown>) => {
    leaving = true;
    try {
      await navigation();
    } finally {
      leaving = false;
    }
  };
  await page.goto(url);
  return { page, context, problems, requests, leave };
}

/** Saves a full-page screenshot as test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Screenshots of the current page at a phone's width and a desktop's, then back to desktop. */
export async function screenshotBoth(page: Page, name: string): Promise<void> {
  await page.setViewportSize(viewports.phone);
  await screenshot(page, `${name}-phone`);
  await page.setViewportSize(viewports.desktop);
  await screenshot(page, `${name}-desktop`);
}
