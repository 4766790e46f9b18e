// Measures how long a saved change takes to show in an open preview page (for the README's figures, not a test).
// Usage: node measure-reload.mjs <preview url> <content dir> <page path> <file under content> <text to replace> [runs]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, contentDir, pagePath, file, text, runs = '3'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const path = join(contentDir, file);
const original = readFileSync(path, 'utf8');
const timings = [];
try {
  const page = await browser.newPage();
  await page.goto(new URL(pagePath, base).href);
  for (let run = 1; run <= Number(runs); run++) {
    await page.waitForFunction(() => document.getElementById('lt-preview-status')?.textContent === 'Live');
    await sleep(1500);
    const marker = `${text} (edit ${run})`;
    const started = Date.now();
    writeFileSync(path, original.replace(text, marker));
    for (;;) {
      const body = await page.locator('body').innerText().catch(() => '');
      if (body.includes(marker)) {
        break;
      }
      if (Date.now() - started > 20000) {
        throw new Error(`'${marker}' never appeared`);
      }
      await sleep(10);
    }
    timings.push(Date.now() - started);
  }
} finally {
  writeFileSync(path, original);
  await browser.close();
}
console.log(JSON.stringify({ file, timings }));
