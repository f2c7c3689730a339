import { formatRatio, formatStatus, formatValue, renderTable } from './format';
import { aheadText } from './peer-compare';
import { peerFiguresOf, type Measurements } from './report';
import type { TargetResult } from './targets';

/** Every target of issue #15 with its verdict, the figure, the threshold and the ratio. */
export function targetsTable(targets: TargetResult[]): string {
  const rows = [['', 'target', 'figure', 'threshold', 'ratio', 'verdict']];
  for (const t of targets)
    rows.push([t.id, t.name, t.actual, t.target, t.ratio, t.met === null && t.note ? t.note : `${formatStatus(t.met)}${t.info ? ' (info)' : ''}`]);
  const scored = targets.filter((t) => !t.info);
  const met = scored.filter((t) => t.met === true).length;
  return `${renderTable(rows)}\n${met} of ${scored.length} targets met (${scored.filter((t) => t.met === null).length} not measured in this run)`;
}

/** KODA beside the LangGraph JS server, same clients: each figure, KODA ÷ peer, and by how much KODA is ahead. */
export function peerTable(m: Measurements): string {
  const figures = peerFiguresOf(m);
  if (!figures || !m.langgraph) return '';
  const rows = [['figure', 'KODA', 'LangGraph', 'KODA ÷ LangGraph', 'KODA is', 'needs', 'verdict']];
  for (const f of figures) {
    rows.push([
      f.name,
      formatValue(f.koda, f.unit),
      formatValue(f.peer, f.unit),
      formatRatio(f.koda, f.peer),
      aheadText(f.aheadBy),
      `≥ ${f.margin}×`,
      formatStatus(f.met),
    ]);
  }
  const l = m.langgraph;
  return `${renderTable(rows)}\n(${l.chunksPerRun.toFixed(1)} token chunks per run on both, recorded from KODA; LangGraph runs ${l.workers} at once (--peer-workers), KODA ${m.options.workerConcurrency}; CPU: KODA's five services + Redis vs the LangGraph process; open streams: ${l.openStreams.koda.streams} each)`;
}
