/**
 * Vega-Lite spec → Vega spec → SVG string, in Node, without canvas (renderer 'none').
 * vega and vega-lite are imported lazily so commands that draw nothing (`--help`) stay fast.
 *
 * Output is deterministic: SVG element ids (clip paths, gradients) are renumbered per chart
 * and prefixed with the chart key, so several inline SVGs never share an id and the same
 * result always gives the same bytes.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Spec as VegaSpec } from 'vega';

type VegaModule = typeof import('vega');
type VegaLiteModule = typeof import('vega-lite');

let modules: Promise<{ vega: VegaModule; vl: VegaLiteModule }> | undefined;

function loadModules(): Promise<{ vega: VegaModule; vl: VegaLiteModule }> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({ vega, vl }));
  return modules;
}

/** Compile a Vega-Lite spec to Vega; throws with the chart key when vega-lite rejects it. */
export async function compileSpec(spec: TopLevelSpec): Promise<VegaSpec> {
  const { vl } = await loadModules();
  return vl.compile(spec).spec;
}

/** Give every `id` in an SVG a deterministic `${prefix}-${n}` name and update references. */
export function renumberSvgIds(svg: string, prefix: string): string {
  const map = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    if (!map.has(m[1]!)) map.set(m[1]!, `${prefix}-${map.size + 1}`);
  }
  if (map.size === 0) return svg;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => `${a}${map.get(id) ?? id}${b}`)
    .replace(/url\(#([^)]+)\)/g, (all, id: string) => (map.has(id) ? `url(#${map.get(id)!})` : all))
    .replace(/(href=")#([^"]+)(")/g, (all, a: string, id: string, b: string) => (map.has(id) ? `${a}#${map.get(id)!}${b}` : all));
}

/** Render one Vega-Lite spec to an SVG string (ids prefixed with `key`). */
export async function renderSvg(spec: TopLevelSpec, key: string): Promise<string> {
  const { vega } = await loadModules();
  const vgSpec = await compileSpec(spec);
  // vega's default logger writes to the console, which would break `--json` on stdout and a
  // quiet stderr; its warnings (e.g. an empty layer's extent) are collected and dropped,
  // its errors surface as exceptions from toSVG.
  const messages: string[] = [];
  const logger = vega.logger(vega.Warn, undefined, (_method: string, _level: string, input: readonly unknown[]) => {
    messages.push(input.map(String).join(' '));
  });
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    return renumberSvgIds(svg, `chart-${key}`);
  } finally {
    view.finalize();
  }
}
