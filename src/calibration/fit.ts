/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965; coefficients as Gao & Han 2012 use
 * for n ≤ 2: reflection 1, expansion 2, contraction 0.5, shrink 0.5). Deterministic: the
 * initial simplex is x0 plus `step` along each axis, and one restart from the best vertex
 * guards against a collapsed simplex. Cost: about 200·n evaluations for n parameters.
 */
export interface FitResult {
  x: number[];
  value: number;
  evaluations: number;
}

export function nelderMead(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  opts: { step?: number; maxEvaluations?: number; tolerance?: number; restarts?: number } = {},
): FitResult {
  const step = opts.step ?? 0.25;
  const maxEval = opts.maxEvaluations ?? 4000;
  const tol = opts.tolerance ?? 1e-12;
  let best = { x: [...x0], value: f(x0) };
  let evaluations = 1;
  for (let round = 0; round <= (opts.restarts ?? 1); round++) {
    const r = simplexRun(f, best.x, step, maxEval, tol);
    evaluations += r.evaluations;
    if (r.value <= best.value) best = { x: r.x, value: r.value };
  }
  return { x: best.x, value: best.value, evaluations };
}

function simplexRun(f: (x: readonly number[]) => number, x0: readonly number[], step: number, maxEval: number, tol: number): FitResult {
  const n = x0.length;
  const pts: number[][] = [[...x0]];
  for (let i = 0; i < n; i++) {
    const p = [...x0];
    p[i] = p[i]! + step;
    pts.push(p);
  }
  const vals = pts.map((p) => f(p));
  let evals = n + 1;
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Array<number>(n).fill(0);
  const along = (c: readonly number[], w: readonly number[], t: number): number[] => c.map((ci, j) => ci + t * (w[j]! - ci));
  while (evals < maxEval) {
    order.sort((a, b) => vals[a]! - vals[b]!);
    const bi = order[0]!;
    const wi = order[n]!;
    const si = order[n - 1]!;
    if (Math.abs(vals[wi]! - vals[bi]!) <= tol * (Math.abs(vals[bi]!) + tol)) break;
    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const p = pts[order[k]!]!;
      for (let j = 0; j < n; j++) centroid[j] = centroid[j]! + p[j]! / n;
    }
    const xr = along(centroid, pts[wi]!, -1);
    const fr = f(xr);
    evals++;
    if (fr < vals[bi]!) {
      const xe = along(centroid, pts[wi]!, -2);
      const fe = f(xe);
      evals++;
      if (fe < fr) {
        pts[wi] = xe;
        vals[wi] = fe;
      } else {
        pts[wi] = xr;
        vals[wi] = fr;
      }
    } else if (fr < vals[si]!) {
      pts[wi] = xr;
      vals[wi] = fr;
    } else {
      const outside = fr < vals[wi]!;
      const xc = along(centroid, outside ? xr : pts[wi]!, 0.5);
      const fc = f(xc);
      evals++;
      if (fc < (outside ? fr : vals[wi]!)) {
        pts[wi] = xc;
        vals[wi] = fc;
      } else {
        const b = pts[bi]!;
        for (let k = 1; k <= n; k++) {
          const i = order[k]!;
          pts[i] = along(b, pts[i]!, 0.5);
          vals[i] = f(pts[i]!);
          evals++;
        }
      }
    }
  }
  let b = 0;
  for (let i = 1; i <= n; i++) if (vals[i]! < vals[b]!) b = i;
  return { x: pts[b]!, value: vals[b]!, evaluations: evals };
}
