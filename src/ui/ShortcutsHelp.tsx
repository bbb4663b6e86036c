import { useAppStore } from './appStore';

const SHORTCUTS: [string, string][] = [
  ['W / S', 'zoom in / out (hold to accelerate)'],
  ['A / D', 'pan left / right (hold to accelerate)'],
  ['wheel', 'zoom about the pointer (Shift+wheel pans)'],
  ['Ctrl + wheel, + / −', 'taller / shorter lanes (about the pointer); lanes 10 px tall are labelled'],
  ['Alt + wheel, PgUp / PgDn, ↑ / ↓', 'scroll the lanes (Home / End: first / last)'],
  ['drag', 'pan'],
  ['Shift + drag', 'select a time range'],
  ['F', 'fit the selection'],
  ['0', 'reset to the whole trace and all lanes'],
  ['click', 'pin a slice: its task is highlighted everywhere'],
  ['. / ,', 'next / previous slice of the pinned task'],
  ['[ / ]', 'drop marker A / B at the cursor (the panel shows B − A)'],
  ['V', 'switch lanes: host CPUs / vCPU threads'],
  ['Ctrl + F, /', 'find a thread id, thread name or VM (Enter / ↓: next match, Esc: close)'],
  ['P, right-click a lane label', 'pin / unpin the lane (pinned lanes stay above the scrolled ones)'],
  ['Esc', 'clear selection, pin and highlight'],
  ['?', 'show or hide this list'],
];

export function ShortcutsHelp() {
  const open = useAppStore((s) => s.helpOpen);
  const toggle = useAppStore((s) => s.toggleHelp);
  if (!open) return null;
  return (
    <div className="shortcuts" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcuts">
      <h2>Keyboard and mouse</h2>
      <table>
        <tbody>
          {SHORTCUTS.map(([k, what]) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button onClick={toggle}>Close</button>
    </div>
  );
}
