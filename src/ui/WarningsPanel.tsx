// The parser's warnings for a run, with line numbers: skipped lines, lost
// events, guesses. Text from the trace is shown as text.

import type { DrawnRun } from '../model/drawnRun';

export function WarningsPanel({ run }: { run: DrawnRun }) {
  const m = run.model;
  if (m.warningCount === 0) return null;
  return (
    <details className="warnings" data-testid="warnings">
      <summary>
        {m.warningCount} parser messages
        {m.skippedLines > 0 && `, ${m.skippedLines} lines skipped`}
        {m.ambiguousLines > 0 && `, ${m.ambiguousLines} read by a guess`}
        {m.lost.length > 0 && `, lost events in ${m.lost.length} places`}
      </summary>
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
