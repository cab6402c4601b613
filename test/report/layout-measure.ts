/**
 * Layout measurements run inside a report page (see the layout block of browser.test.ts): overlapping text
 * labels per chart, legend entries outside their chart, and each "your volume" marker's x
 * against its plot's x-axis extent. Plain JavaScript in a string (evaluated in the page; the
 * project's TypeScript has no DOM types).
 */
export interface Layout {
  overlaps: string[];
  hiddenLegend: string[];
  markers: { chart: string; x: number; lo: number; hi: number }[];
}

export const MEASURE = `(() => {
  const overlaps = [];
  const hiddenLegend = [];
  const markers = [];
  for (const fig of document.querySelectorAll('figure.chart')) {
    const chart = fig.getAttribute('data-chart') || '?';
    const svg = fig.querySelector('svg');
    if (!svg) continue;
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')]
      .filter((t) => (t.textContent || '').trim() !== '' && getComputedStyle(t).opacity !== '0' && t.getAttribute('opacity') !== '0')
      .map((t) => ({ t: t.textContent.trim(), r: t.getBoundingClientRect() }))
      .filter((x) => x.r.width > 0 && x.r.height > 0);
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const a = texts[i].r;
        const b = texts[j].r;
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        // glyph boxes include leading; a 1.5 px graze is not an overlap a reader sees
        if (w > 1.5 && h > 1.5) overlaps.push(chart + ': "' + texts[i].t + '" x "' + texts[j].t + '"');
      }
    }
    for (const t of svg.querySelectorAll('.role-legend-label text, .role-legend-symbol path')) {
      const r = t.getBoundingClientRect();
      // a stroke symbol (a dash sample) is a line: zero height is fine, zero extent is not
      if ((r.width === 0 && r.height === 0) || r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
        hiddenLegend.push(chart + ': ' + (t.textContent || '(symbol)'));
      }
    }
    for (const m of svg.querySelectorAll('.volume_marker_marks line, .volume_marker_marks path')) {
      // the plot's x-range: the nearest horizontal x-axis domain line, walking up the views
      let scope = m.parentElement;
      let domain = null;
      while (scope && !domain) {
        domain = [...scope.querySelectorAll('.role-axis-domain line, .role-axis-domain path')].find((d) => {
          const r = d.getBoundingClientRect();
          return r.height < 1 && r.width > 10;
        }) || null;
        if (scope === svg) break;
        scope = scope.parentElement;
      }
      if (!domain) continue;
      const mr = m.getBoundingClientRect();
      const dr = domain.getBoundingClientRect();
      markers.push({ chart, x: mr.left + mr.width / 2, lo: dr.left, hi: dr.right });
    }
  }
  return { overlaps, hiddenLegend, markers };
})()`;
