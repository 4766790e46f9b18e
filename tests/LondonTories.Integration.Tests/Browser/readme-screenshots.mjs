// Takes the README's pictures of the preview: the coverage view and the public hub's hex map.
// Usage: node readme-screenshots.mjs <preview url> <output dir>   (preview the sample content first)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, outDir] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(new URL('_preview/coverage', base).href);
  await page.screenshot({ path: join(outDir, 'preview-coverage.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1500 } });
  await page.goto(base);
  await page.focus('.hex-map a[aria-label="Battersea"]');
  await page.screenshot({ path: join(outDir, 'hub-hex-map.png') });
} finally {
  await browser.close();
}
