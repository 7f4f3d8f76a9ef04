// Debian's Chromium driven by playwright-core, with a fresh profile per session: SecretStorage of the
// web workbench lives in the browser profile, so one session = one user's state.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './paths.mjs';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * @param {string} profileDir  emptied first
 * @param {{ width?: number, height?: number }} [viewport]
 */
export async function launchBrowser(profileDir, { width = 1400, height = 900 } = {}) {
  if (!fs.existsSync(CHROMIUM))
    throw new Error(
      `the tests drive Debian's Chromium (${CHROMIUM}), which is not installed: apt-get install -y chromium`,
    );
  fs.rmSync(profileDir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(profileDir), { recursive: true });
  // Playwright refuses --user-data-dir in args: the persistent context takes the folder instead.
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width, height },
  });
}
