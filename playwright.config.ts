import { defineConfig } from '@playwright/test';

// Chromium comes from scripts/test.mjs (SCHEDMAP_CHROMIUM): Debian's package or
// any other found on the machine; Playwright's own build when none is set.
const executablePath = process.env.SCHEDMAP_CHROMIUM || undefined;
// The preview server's port (SCHEDMAP_E2E_PORT: several checkouts testing on one machine).
const port = Number(process.env.SCHEDMAP_E2E_PORT || 4173);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    launchOptions: {
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
    viewport: { width: 1600, height: 900 },
  },
  webServer: {
    command: `npx vite build --logLevel warn && npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 180_000,
  },
});
