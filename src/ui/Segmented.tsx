// A row of buttons of which one is on (lane mode, lane order, lane colour, the
// comparison's layout).

export interface SegmentedOption<T extends string> {
  value: T;
  text: string;
  title?: string;
  testId?: string;
}

export function Segmented<T extends string>({
  label,
  value,
  options,
  onChange,
  block = false,
}: {
  label: string;
  value: T;
  options: readonly SegmentedOption<T>[];
  onChange: (v: T) => void;
  /** A block (div) rather than inline (span). */
  block?: boolean;
}) {
  const Tag = block ? 'div' : 'span';
  return (
    <Tag className="lane-mode" role="group" aria-label={label}>
      {options.map((o) => (
        <button
          key={o.value}
          className={value === o.value ? 'active' : ''}
          data-testid={o.testId}
          title={o.title}
          onClick={() => onChange(o.value)}
        >
          {o.text}
        </button>
      ))}
    </Tag>
  );
}
