/**
 * Opens rendered reports in headless Chromium from file:// and checks what a reader gets:
 * every chart drawn, no console error, no network request, hostile strings shown as text.
 * The real runs are the shared ones (test/global-setup.ts: every bundled workload simulated
 * once per test run, reports written by the CLI). Where /usr/bin/chromium is missing the
 * suite FAILS with how to install it; set BREAKEVEN_NO_BROWSER=1 to skip these checks on
 * purpose (they are then listed as skipped, with that reason).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { buildChartSpecs, renderReport } from '../../src/report/index.js';
import type { SimulationResult } from '../../src/sim/result.js';
import { FIXTURE_PATH, hostileResult, XSS } from './fixtures/variants.js';
import { MEASURE, type Layout } from './layout-measure.js';
import { baseName, bundledWorkloads, reportPaths, waitForBundledRun, WAIT_MS } from '../bundled-runs.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const OPTED_OUT = process.env['BREAKEVEN_NO_BROWSER'] === '1';
const RUN_BROWSER = HAVE_CHROMIUM && !OPTED_OUT;
/** a browser launch, page load or live vega view can take many seconds on a loaded machine */
const BROWSER_TIMEOUT = 180_000;
/** a test on a shared run may first wait for it (the runs go on beside the test files) */
const SHARED_RUN_TIMEOUT = WAIT_MS + BROWSER_TIMEOUT;

/**
 * Real runs of EVERY bundled scenario (the shared runs), each opened static; interactive too
 * for the default, one with a warning and an option that never breaks even, one with reserved
 * and owned hardware (payback), one on spot GPUs.
 */
const RUNS = inject('bundledRunsDir');
const REAL_RUNS = bundledWorkloads(process.cwd());
const INTERACTIVE_RUNS = new Set(['fixture', 'default', 'research-copilot', 'enterprise-pipeline', 'document-pipeline']);

/**
 * Result JSONs whose reports are opened in the browser (static and interactive). `html`, when
 * set, is the static report as the CLI wrote it, opened as is instead of re-rendering.
 */
const REPORTS: { name: string; path: URL | string; html?: string; file?: string }[] = [
  { name: 'fixture', path: FIXTURE_PATH },
  ...REAL_RUNS.map((file) => {
    const run = reportPaths(RUNS, file);
    return { name: baseName(file), path: run.jsonPath, html: run.htmlPath, file };
  }),
];
/** The first screen of the real default report, kept for people to look at. */
const SCREENSHOT = { report: 'default', path: join(process.cwd(), 'reports', 'default-first-screen.png') };

let browser: Browser | undefined;
let dir: string;

beforeAll(async () => {
  if (!RUN_BROWSER) return;
  dir = mkdtempSync(join(tmpdir(), 'report-browser-'));
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    timeout: BROWSER_TIMEOUT,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, BROWSER_TIMEOUT);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function writeReport(result: SimulationResult, name: string, interactive: boolean): Promise<string> {
  const path = join(dir, `${name}${interactive ? '.interactive' : ''}.html`);
  writeFileSync(path, await renderReport(result, { interactive }));
  return path;
}

interface Checked {
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/**
 * Open `htmlPath` from file:// and assert each expected chart container holds an <svg> with
 * marks, no console error, no request other than file:. Returns what it saw for more checks.
 */
async function checkReport(htmlPath: string, expectedCharts: string[], screenshot?: string): Promise<Checked> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(BROWSER_TIMEOUT);
  const seen: Checked = { errors: [], requests: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(m.text());
  });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:')) seen.requests.push(r.url());
  });
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  try {
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    if ((await page.getAttribute('body', 'data-mode')) === 'interactive') {
      // live views replace the static SVGs once vega has run
      await page.waitForFunction(`document.querySelectorAll('.chart-live svg').length >= ${expectedCharts.length}`, undefined, { timeout: BROWSER_TIMEOUT });
    }
    // a string, so this file type-checks without the DOM lib: the visible SVG in each container
    const charts = await page.evaluate<{ key: string | null; marks: number; w: number; h: number }[]>(`
      [...document.querySelectorAll('[data-chart]')].map((el) => {
        const svg = [...el.querySelectorAll('svg')].find((s) => s.closest('.chart-static, .chart-live').offsetParent !== null);
        const box = svg ? svg.getBoundingClientRect() : null;
        return { key: el.getAttribute('data-chart'), marks: svg ? svg.querySelectorAll('path, line, rect, text').length : 0, w: box ? box.width : 0, h: box ? box.height : 0 };
      })`);
    expect(charts.map((c) => c.key)).toEqual(expectedCharts);
    for (const c of charts) {
      expect(c.marks, `${c.key} has marks`).toBeGreaterThan(10);
      expect(c.w * c.h, `${c.key} has a size`).toBeGreaterThan(100 * 100);
    }
    if (screenshot) {
      mkdirSync(join(screenshot, '..'), { recursive: true });
      await page.screenshot({ path: screenshot });
    }
    expect(seen.errors).toEqual([]);
    expect(seen.requests).toEqual([]);
    return seen;
  } finally {
    await page.close();
  }
}

describe('reports in a browser', () => {
  if (!HAVE_CHROMIUM && !OPTED_OUT) {
    it('needs Chromium', () => {
      throw new Error(`the browser checks need Chromium at ${CHROMIUM} (apt-get install -y chromium); set BREAKEVEN_NO_BROWSER=1 to skip them on purpose`);
    });
  }
  const maybe = it.skipIf(!RUN_BROWSER);
  for (const r of REPORTS) {
    for (const interactive of INTERACTIVE_RUNS.has(r.name) ? [false, true] : [false]) {
      maybe(`${r.name} (${interactive ? 'interactive' : 'static'}): every chart drawn, no errors, no network${OPTED_OUT ? ' (skipped: BREAKEVEN_NO_BROWSER=1)' : ''}`, async () => {
        if (r.file !== undefined) {
          const run = await waitForBundledRun(RUNS, r.file);
          expect(run.stderr, `${r.file}: the shared run's stderr`).toBe('');
          expect(run.code, `${r.file}: the shared run's exit code`).toBe(0);
        }
        const result = JSON.parse(readFileSync(r.path, 'utf8')) as SimulationResult;
        const path = r.html !== undefined && !interactive ? r.html : await writeReport(result, r.name, interactive);
        const shot = r.name === SCREENSHOT.report && !interactive ? SCREENSHOT.path : undefined;
        await checkReport(path, buildChartSpecs(result).map((c) => c.key), shot);
        if (shot) expect(readFileSync(shot).subarray(1, 4).toString('latin1')).toBe('PNG');
      }, r.file !== undefined ? SHARED_RUN_TIMEOUT : BROWSER_TIMEOUT);
    }
  }

  maybe('hostile scenario name and description show as text and run no script', async () => {
    const result = hostileResult();
    for (const interactive of [false, true]) {
      const path = await writeReport(result, 'hostile', interactive);
      const seen = await checkReport(path, buildChartSpecs(result).map((c) => c.key));
      expect(seen.dialogs).toEqual([]);
      const page = await browser!.newPage();
      page.setDefaultTimeout(BROWSER_TIMEOUT);
      try {
        await page.goto(pathToFileURL(path).href);
        expect(await page.$$('img[src="x"], img')).toHaveLength(0);
        expect(await page.textContent('h1')).toContain(XSS);
        expect(await page.textContent('.desc')).toContain(XSS);
      } finally {
        await page.close();
      }
    }
  }, BROWSER_TIMEOUT);
});

// ------------------------------------------------------------------------------------------
// Layout checks (issue 16), a separate block reusing the shared real runs: in every bundled
// workload's report no two text labels overlap (bounding boxes), every legend entry lies
// inside its chart, each "your volume" marker lies within its plot's x-range, and neither
// the HTML nor the JSON holds an absolute path of this machine. Measured by MEASURE
// (layout-measure.ts) inside the page.
describe('report layout, every bundled workload', () => {
  for (const file of REAL_RUNS) {
    it.skipIf(!RUN_BROWSER)(`${baseName(file)}: no overlapping labels, legends visible, volume marker inside its plot, no absolute path`, async () => {
      const run = await waitForBundledRun(RUNS, file);
      const html = readFileSync(run.htmlPath, 'utf8');
      const json = readFileSync(run.jsonPath, 'utf8');
      for (const text of [html, json]) {
        expect(text).not.toContain(process.cwd());
        expect(text).not.toContain(RUNS);
        expect(text).not.toContain(tmpdir() + '/');
      }
      const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
      try {
        await page.goto(pathToFileURL(run.htmlPath).href);
        const layout = await page.evaluate<Layout>(MEASURE);
        expect(layout.overlaps).toEqual([]);
        expect(layout.hiddenLegend).toEqual([]);
        expect(layout.markers.length).toBeGreaterThan(0);
        for (const m of layout.markers) {
          expect(m.x, `${m.chart} marker`).toBeGreaterThanOrEqual(m.lo - 0.5);
          expect(m.x, `${m.chart} marker`).toBeLessThanOrEqual(m.hi + 0.5);
        }
      } finally {
        await page.close();
      }
    }, SHARED_RUN_TIMEOUT);
  }
});
