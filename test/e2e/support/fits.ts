/**
 * Screenshots at a phone's width and a desktop's, asserting that the phone's has nothing wider
 * than the screen (no sideways scrolling at 390 px).
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshot, viewports } from './browser.js';

export async function screenshotsThatFit(page: Page, name: string): Promise<void> {
  await page.setViewportSize(viewports.phone);
  await screenshot(page, `${name}-phone`);
  const width = await page.evaluate('document.documentElement.scrollWidth');
  expect(width, `${name}: the page scrolls sideways at ${viewports.phone.width} px`).toBe(
    viewports.phone.width,
  );
  await page.setViewportSize(viewports.desktop);
  await screenshot(page, `${name}-desktop`);
}
