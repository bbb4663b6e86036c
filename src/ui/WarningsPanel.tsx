// The parser's warnings for a run: one row per kind (how often, the first
// lines, which metrics it can bias; README "Warning kinds"), then the first
// messages with line numbers. Text from the trace is shown as text.

import { useMemo } from 'react';
import { warningKindText, warningSummaryReport } from '../analysis/warningBias';
import type { DrawnRun } from '../model/drawnRun';
import { thousands } from '../model/format';

export function WarningsPanel({ run }: { run: DrawnRun }) {
  const m = run.model;
  const kinds = useMemo(() => warningSummaryReport(m.warningSummary), [m.warningSummary]);
  if (m.warningCount === 0 && kinds.length === 0) return null;
  return (
    <details className="warnings" data-testid="warnings">
      <summary>
        {thousands(m.warningCount)} parser messages
        {m.skippedLines > 0 && `, ${thousands(m.skippedLines)} lines skipped`}
        {m.ambiguousLines > 0 && `, ${thousands(m.ambiguousLines)} read by a guess`}
        {m.lost.length > 0 && `, lost events in ${m.lost.length === 1 ? '1 place' : `${thousands(m.lost.length)} places`}`}
        {kinds.length > 0 && ` (${kinds.length === 1 ? '1 kind' : `${kinds.length} kinds`})`}
      </summary>
      {kinds.length > 0 && (
        <table className="warning-kinds" data-testid="warning-kinds">
          <thead>
            <tr>
              <th>kind</th>
              <th>what it means</th>
              <th>where</th>
              <th>effect on the numbers</th>
            </tr>
          </thead>
          <tbody>
            {kinds.map((e) => {
              const t = warningKindText(e);
              return (
                <tr key={e.kind} data-kind={e.kind}>
                  <td className="warning-kind">{t.head}</td>
                  <td>{e.means}</td>
                  <td>{t.lines}</td>
                  <td>{t.biases}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ul>
        {m.warnings.map((w, i) => (
          <li key={i}>
            {w.line > 0 ? `line ${w.line}: ` : ''}
            {w.message}
          </li>
        ))}
        {m.warningCount > m.warnings.length && <li>… and {m.warningCount - m.warnings.length} more</li>}
      </ul>
    </details>
  );
}
