// Drives the editors' preview in headless Chromium and prints what it saw as JSON, one entry a step;
// the xunit tests in ../Preview assert on it.
// Usage: node scenario.mjs <preview url> <content dir> <screenshot dir>
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [base, contentDir, shotsDir] = process.argv.slice(2);
if (!base || !contentDir || !shotsDir) {
  console.error('usage: node scenario.mjs <preview url> <content dir> <screenshot dir>');
  process.exit(2);
}

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
mkdirSync(shotsDir, { recursive: true });

const steps = {};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function step(name, run) {
  try {
    steps[name] = await run();
  } catch (error) {
    steps[name] = { error: String(error?.stack ?? error) };
  }
}

async function shot(page, name) {
  const path = join(shotsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

// Reads the main text, riding out a reload in progress.
async function mainText(page) {
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      return await page.locator('main').innerText({ timeout: 2000 });
    } catch {
      await sleep(25);
    }
  }
  return '';
}

async function waitForText(page, text, timeoutMs, present = true) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if ((await mainText(page)).includes(text) === present) {
      return Date.now() - started;
    }
    await sleep(20);
  }
  return null;
}

async function waitUntilLive(page) {
  await page.waitForFunction(() => document.getElementById('lt-preview-status')?.textContent === 'Live', null, { timeout: 10000 });
}

function edit(relativePath, change) {
  const path = join(contentDir, relativePath);
  const before = readFileSync(path, 'utf8');
  writeFileSync(path, change(before));
  return before;
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  await step('seat', async () => {
    await page.goto(new URL('battersea/welcome/', base).href);
    const before = await mainText(page);
    await Promise.all([page.waitForURL('**/putney/welcome/'), page.selectOption('#lt-seat', 'putney')]);
    const after = await mainText(page);
    await shot(page, 'seat-putney');
    return { before, url: page.url(), after };
  });

  await step('seatSearch', async () => {
    await page.fill('#lt-seat-filter', 'Bethnal');
    const visible = await page.$$eval('#lt-seat optgroup option', (options) => options.filter((o) => !o.hidden && !o.parentElement.hidden).map((o) => o.value));
    await Promise.all([page.waitForURL('**/bethnal-green-and-stepney/welcome/'), page.press('#lt-seat-filter', 'Enter')]);
    return { visible, url: page.url() };
  });

  await step('bengali', async () => {
    await Promise.all([page.waitForURL('**/bethnal-green-and-stepney/bn/welcome/'), page.selectOption('#lt-language', 'bn')]);
    await shot(page, 'bengali');
    return {
      url: page.url(),
      lang: await page.getAttribute('html', 'lang'),
      dir: await page.getAttribute('html', 'dir'),
      title: await page.locator('h1').first().innerText(),
    };
  });

  await step('rtl', async () => {
    await page.goto(new URL('ealing-southall/welcome/', base).href);
    await Promise.all([page.waitForURL('**/ealing-southall/ur/welcome/'), page.selectOption('#lt-language', 'ur')]);
    await shot(page, 'urdu-rtl');
    return { url: page.url(), lang: await page.getAttribute('html', 'lang'), dir: await page.getAttribute('html', 'dir') };
  });

  await step('embargo', async () => {
    const url = new URL('battersea/launch/', base).href;
    const beforeStatus = (await page.goto(url)).status();
    await page.fill('#lt-now', '2030-01-06T10:00');
    const arrived = page.waitForResponse((r) => r.url() === url && r.request().isNavigationRequest());
    await page.click('#lt-show');
    const afterStatus = (await arrived).status();
    await page.waitForLoadState('load');
    const title = await page.locator('h1').first().innerText();
    const listed = await page.goto(new URL('battersea/', base).href).then(() => mainText(page));
    await shot(page, 'after-embargo');
    const reset = page.waitForResponse((r) => r.url() === new URL('battersea/', base).href && r.request().isNavigationRequest());
    await page.click('#lt-reset-now');
    await reset;
    const resetStatus = (await page.goto(url)).status();
    return { beforeStatus, afterStatus, title, listed, resetStatus };
  });

  await step('reload', async () => {
    await page.goto(new URL('putney/welcome/', base).href);
    await waitUntilLive(page);
    const started = Date.now();
    edit('pages/welcome.md', (text) => text.replace('The London-wide welcome', 'A freshly edited welcome'));
    const visibleAfterMs = await waitForText(page, 'A freshly edited welcome', 10000);
    await shot(page, 'after-edit');
    return { visibleAfterMs, totalMs: Date.now() - started, text: await mainText(page) };
  });

  await step('errors', async () => {
    await waitUntilLive(page);
    const welcome = edit('pages/welcome.md', (text) => text.replace('weight: 10', 'weight: 10\naudience: [nowhere-seat]'));
    const launch = edit('pages/launch.md', (text) => text.replace('publish_at: 2030-01-06T09:00', 'publish_at: next spring'));
    await page.waitForSelector('#lt-preview-errors', { timeout: 10000 });
    await sleep(300);
    const items = await page.$$eval('#lt-preview-errors li', (lis) => lis.map((li) => li.innerText));
    const textWhileBroken = await mainText(page);
    await shot(page, 'error-overlay');
    await page.reload();
    const itemsAfterReload = await page.$$eval('#lt-preview-errors li', (lis) => lis.map((li) => li.innerText));
    const textAfterReload = await mainText(page);
    await waitUntilLive(page);
    const fixed = Date.now();
    writeFileSync(join(contentDir, 'pages/launch.md'), launch);
    writeFileSync(join(contentDir, 'pages/welcome.md'), welcome);
    let overlayAfterFix = null;
    while (Date.now() - fixed < 10000 && overlayAfterFix !== 0) {
      await sleep(50);
      overlayAfterFix = await page.$$('#lt-preview-errors').then((found) => found.length, () => null);
    }
    const fixedAfterMs = Date.now() - fixed;
    return { items, textWhileBroken, itemsAfterReload, textAfterReload, fixedAfterMs, overlayAfterFix, textAfterFix: await mainText(page) };
  });

  await step('coverage', async () => {
    await page.goto(new URL('_preview/coverage', base).href);
    await shot(page, 'coverage');
    const cell = (seat, slug) => page.$eval(`#seat-${seat} td[data-slug="${slug}"]`, (td) => ({ match: td.dataset.match, text: td.innerText }));
    return {
      rows: await page.$$eval('tr[data-seat]', (rows) => rows.map((r) => r.dataset.seat)),
      hexes: await page.$$eval('.lt-coverage-map svg a', (links) => links.map((a) => ({ seat: a.dataset.seat, label: a.getAttribute('aria-label'), level: a.getAttribute('class') }))),
      battersea: await cell('battersea', 'welcome'),
      putney: await cell('putney', 'welcome'),
      bromley: await cell('bromley-and-biggin-hill', 'welcome'),
      eastHam: await cell('east-ham', 'welcome'),
      launch: await cell('battersea', 'launch'),
    };
  });

  await step('hub', async () => {
    await page.goto(base);
    await shot(page, 'hub');
    const hexes = await page.$$eval('.hex-map svg a', (links) => links.map((a) => ({ label: a.getAttribute('aria-label'), href: a.getAttribute('href') })));
    const boroughList = await page.$$eval('nav[aria-label="Constituencies by borough"] a', (links) => links.map((a) => a.textContent.trim()));
    const scripts = await page.$$eval('script', (all) => all.map((s) => s.getAttribute('src')));
    // Keyboard users reach the map with Tab from the top of the page.
    let focusedHex = null;
    for (let i = 0; i < 10 && !focusedHex; i++) {
      await page.keyboard.press('Tab');
      focusedHex = await page.evaluate(() => (document.activeElement?.closest('svg') ? document.activeElement.getAttribute('aria-label') : null));
    }
    let followed = null;
    if (focusedHex) {
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      followed = page.url();
    }
    return { hexes, boroughList, scripts, focusedHex, followed };
  });

  await step('axe', async () => {
    const pages = { hub: '', seatHome: 'battersea/', page: 'battersea/welcome/', rtlPage: 'ealing-southall/ur/welcome/', coverage: '_preview/coverage' };
    const found = {};
    for (const [name, path] of Object.entries(pages)) {
      await page.goto(new URL(path, base).href);
      await page.addScriptTag({ path: axePath });
      found[name] = await page.evaluate(async () => {
        const results = await window.axe.run(document, { resultTypes: ['violations'] });
        return { passes: results.passes.length, violations: results.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })) };
      });
    }
    return found;
  });
} finally {
  await browser.close();
}

console.log(JSON.stringify(steps));
