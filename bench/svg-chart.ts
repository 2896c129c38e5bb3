/** A chart a person can look at: throughput against the baselines, and the latency percentiles. Plain SVG. */
export interface ChartInput {
  title: string;
  throughput: { label: string; perSecond: number }[];
  latencyMs: { label: string; ms: number }[];
}

export function barChartSvg(input: ChartInput): string {
  const width = 720;
  const rowHeight = 28;
  const left = 230;
  const barMax = width - left - 90;
  const rows: string[] = [];
  let y = 50;
  const section = (title: string, items: { label: string; value: number; unit: string }[], colour: string) => {
    rows.push(`<text x="10" y="${y}" font-size="14" font-weight="bold">${escape(title)}</text>`);
    y += 12;
    const max = Math.max(...items.map((i) => i.value), 1e-9);
    for (const item of items) {
      const w = Math.max(1, (item.value / max) * barMax);
      rows.push(`<text x="10" y="${y + 18}" font-size="12">${escape(item.label)}</text>`);
      rows.push(`<rect x="${left}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowHeight - 10}" fill="${colour}"/>`);
      rows.push(`<text x="${(left + w + 6).toFixed(1)}" y="${y + 18}" font-size="12">${item.value.toFixed(item.value < 10 ? 2 : 0)} ${item.unit}</text>`);
      y += rowHeight;
    }
    y += 24;
  };
  section('Sustained throughput (higher is better)', input.throughput.map((t) => ({ label: t.label, value: t.perSecond, unit: '/s' })), '#2b6cb0');
  section('POST → final state (lower is better)', input.latencyMs.map((l) => ({ label: l.label, value: l.ms, unit: 'ms' })), '#c05621');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="24" font-size="16">${escape(input.title)}</text>
${rows.join('\n')}
</svg>
`;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
