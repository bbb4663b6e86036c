// Find a Chromium for the browser tests: an explicit path, Debian's package,
// Playwright's own download, in that order. Never downloads by itself.
import { existsSync } from 'node:fs';

export function findChromium() {
  const candidates = [
    process.env.SCHEDMAP_CHROMIUM,
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
  ].filter(Boolean);
  for (const c of candidates) if (existsSync(c)) return c;
  return null;
}

export async function playwrightOwnChromium() {
  try {
    const { chromium } = await import('@playwright/test');
    const p = chromium.executablePath();
    return p && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

/** Flags every launch uses: this machine has no GPU and no outside network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
