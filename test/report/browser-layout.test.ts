/**
 * Layout checks in headless Chromium for EVERY bundled workload (a separate block from
 * browser.test.ts, which checks drawing, console errors and escaping): in each chart no two
 * text labels overlap (bounding boxes), every legend entry lies inside its chart, the
 * "your volume" marker lies within its plot's x-range, and no absolute path of this machine
 * appears in the HTML or the JSON. Runs each workload in-process with few trials.
 * Skipped (loudly) where /usr/bin/chromium is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { MEASURE, type Layout } from './layout-measure.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const WORKLOADS = readdirSync('workloads')
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.replace(/\.yaml$/, ''))
  .sort();
const ROOT = resolve('.');
let browser: Browser | undefined;
let out: string;

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  out = mkdtempSync(join(tmpdir(), 'report-layout-'));
  const { run } = await import('../../src/cli/program.js');
  const { memoryIO } = await import('../../src/cli/io.js');
  for (const name of WORKLOADS) {
    const io = memoryIO();
    const code = await run(['simulate', `workloads/${name}.yaml`, '--trials', '40', '--workers', '1', '--out', out], io);
    if (code !== 0) throw new Error(`simulate workloads/${name}.yaml exited ${code}: ${io.stderr}`);
  }
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (out) rmSync(out, { recursive: true, force: true });
});

describe.skipIf(!HAVE_CHROMIUM)('report layout, every bundled workload', () => {
  for (const name of WORKLOADS) {
    it(`${name}: no overlapping labels, legends visible, volume marker inside its plot, no absolute path`, async () => {
      const html = readFileSync(join(out, `${name}.html`), 'utf8');
      const json = readFileSync(join(out, `${name}.json`), 'utf8');
      for (const text of [html, json]) {
        expect(text).not.toContain(ROOT);
        expect(text).not.toContain(out);
        expect(text).not.toContain(tmpdir() + '/');
      }
      const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
      try {
        await page.goto(pathToFileURL(join(out, `${name}.html`)).href);
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
    }, 60_000);
  }
});
