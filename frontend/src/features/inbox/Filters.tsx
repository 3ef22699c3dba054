import { memo } from 'react';
import type { Counts, FilterName } from '../../backend';
import { filters } from '../../lib/labels';

interface FiltersProps {
  counts: Counts;
  filter: FilterName;
  onSelect: (f: FilterName) => void;
  /** Why the counts could not be read: said, or every count would read 0 as if nothing waited. */
  error?: string;
}

/** The seven inbox filters, each with its live count (memoised: drawn again only when a count or the filter changes). */
export const Filters = memo(function Filters({ counts, filter, onSelect, error }: FiltersProps) {
  return (
    <nav className="filters" aria-label="Inbox filters">
      <h2 className="sidebar-heading">Inbox</h2>
      <ul>
        {filters.map((f) => (
          <li key={f.name}>
            <button
              type="button"
              className={`filter${f.name === filter ? ' selected' : ''}`}
              aria-pressed={f.name === filter}
              onClick={() => onSelect(f.name)}
            >
              <span className="filter-name">{f.label}</span> <span className="count">{counts[f.name] ?? 0}</span>
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="error small">
          {error}
        </p>
      )}
    </nav>
  );
});
