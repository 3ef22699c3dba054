import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'react-router';
import type { Report, ReportField, ThreadView } from '../../backend';
import { errorMessage, fullTime, sentence } from '../../lib/format';
import { notAShortcut } from '../../lib/keys';
import { Modal } from '../../components/Modal';
import { NOTES, OPT_OUT, reportFieldsOf, useSubmitReport, valueLabel } from './conversation';
import { GrowingTextarea } from '../../components/GrowingTextarea';
import { notSentWhy, useHoldup } from '../outbox/connection';

/**
 * "Fill Report": the action's report fields in the admin's order, then Opt
 * Out and Notes. Reports may be partial and filed as often as wanted; the
 * form opens with the latest values.
 */
export function FillReport({ view, onSaved }: { view: ThreadView; onSaved: (saved: boolean) => void }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  // P opens the form from anywhere in the conversation (shortcuts sheet).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (notAShortcut(e) || e.key.toLowerCase() !== 'p') return;
      e.preventDefault();
      onSaved(false);
      setOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onSaved]);
  return (
    <>
      <button type="button" className="main-tool" ref={button} onClick={() => { onSaved(false); setOpen(true); }} aria-haspopup="dialog" aria-keyshortcuts="P">
        Fill Report
      </button>
      {open && (
        <ReportDialog
          view={view}
          returnFocus={() => button.current}
          onClose={() => setOpen(false)}
          onSaved={() => {
            setOpen(false);
            onSaved(true);
          }}
        />
      )}
    </>
  );
}

function ReportDialog({
  view,
  onClose,
  onSaved,
  returnFocus,
}: {
  view: ThreadView;
  onClose: () => void;
  onSaved: () => void;
  returnFocus: () => HTMLElement | null;
}) {
  const fields = reportFieldsOf(view.reportFields);
  // What the reports say now (Go's report.Latest: each field's newest value).
  const latest = view.latestReport;
  const [values, setValues] = useState<Record<string, string>>(latest);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const submit = useSubmitReport(view.thread.id);
  const who = view.thread.contactName;
  const optingOut = !view.thread.optedOut && values[OPT_OUT.key] === 'true';

  const set = (key: string, v: string) => {
    setValues((prev) => ({ ...prev, [key]: v }));
    setInvalid((prev) => ({ ...prev, [key]: '' }));
  };

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (submit.isPending) return;
    setError('');
    const all: Record<string, string> = {};
    const bad: Record<string, string> = {};
    for (const f of fields) {
      const v = (values[f.key] ?? '').trim();
      if (f.kind === 'tag') {
        // An untouched toggle says nothing; one turned off says "No".
        if (v === 'true' || latest[f.key] === 'true') all[f.key] = v === 'true' ? 'true' : 'false';
        continue;
      }
      if (v === '') {
        // A value the volunteer emptied is filed as a clear (the server
        // takes "" as one); a field that was empty says nothing.
        if ((latest[f.key] ?? '') !== '') all[f.key] = '';
        continue;
      }
      // As report.checkValue (Go) has it: digits, a point, a sign, an
      // exponent; JavaScript's Number also reads 0x10 and Infinity.
      if (f.kind === 'number' && !(/^[0-9.+\-eE]+$/.test(v) && Number.isFinite(Number(v)))) {
        bad[f.key] = `${f.label} must be a number, such as 3.`;
        continue;
      }
      all[f.key] = v;
    }
    // A report is what changed since the latest values; with no change, the
    // volunteer confirms them all again (which still counts as a report).
    const changed = Object.fromEntries(Object.entries(all).filter(([k, v]) => latest[k] !== v));
    const out = Object.keys(changed).length > 0 ? changed : all;
    setInvalid(bad);
    if (Object.keys(bad).length > 0) {
      setError('Some answers need fixing before the report can be saved.');
      // To the first answer to fix (in a long form it can be out of view), not left on Submit.
      document.getElementById(`report-${Object.keys(bad)[0]}`)?.focus();
      return;
    }
    if (Object.keys(out).length === 0) {
      setError('Fill in at least one field: a report may be partial, but not empty.');
      return;
    }
    submit.mutate(out, {
      onSuccess: onSaved,
      onError: (err) => setError(sentence(`The report was not saved: ${errorMessage(err)}`)),
    });
  }

  return (
    <Modal title={`Report on ${who}`} onClose={onClose} className="report-dialog" returnFocus={returnFocus}>
      <form onSubmit={onSubmit} noValidate>
        <div className="report-fields">
          {fields.map((f) =>
            f.key === OPT_OUT.key && view.thread.optedOut ? (
              // Opted out already (a keyword, another volunteer, the
              // provider): shown on, and not the volunteer's to undo.
              <FieldInput key={f.key} field={f} value="true" locked={`${who} opted out: they will not be texted again.`} onChange={() => {}} />
            ) : (
              <FieldInput
                key={f.key}
                field={f}
                value={values[f.key] ?? ''}
                error={invalid[f.key]}
                // Opt Out sits among the toggles used every time, and cannot
                // be taken back from the app: turned on, it says what it does.
                note={f.key === OPT_OUT.key && optingOut ? `Nobody in this organization will text ${who} again. Only an organizer can undo it, after ${who} texts START.` : undefined}
                onChange={(v) => set(f.key, v)}
              />
            ),
          )}
        </div>
        {/* The error in the buttons' sticky footer: after Notes, a long form scrolled it out of
            view (1280x800), and Submit seemed to do nothing but move the keyboard. */}
        <div className="modal-buttons report-buttons">
          {error && (
            <p role="alert" className="error report-error">
              {error}
            </p>
          )}
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={submit.isPending}>
            {submit.isPending ? 'Saving…' : optingOut ? 'Submit Report and Opt Out' : 'Submit Report'}
          </button>
        </div>
      </form>
    </Modal>
  );
}

interface FieldInputProps {
  field: ReportField;
  value: string;
  error?: string;
  /** Why a toggle cannot be changed (shown beside it); unset: it can. */
  locked?: string;
  /** What a toggle as set will do (shown under it). */
  note?: string;
  onChange: (v: string) => void;
}

function FieldInput({ field: f, value, error, locked, note, onChange }: FieldInputProps) {
  const id = `report-${f.key}`;
  const errorId = `${id}-error`;
  const errorLine = error ? (
    <p id={errorId} className="field-error">
      {error}
    </p>
  ) : null;
  switch (f.kind) {
    case 'tag':
      return (
        <div className="report-field report-tag">
          <input
            id={id}
            type="checkbox"
            role="switch"
            checked={value === 'true'}
            aria-checked={value === 'true'}
            disabled={locked !== undefined}
            aria-describedby={locked !== undefined ? `${id}-locked` : note ? `${id}-note` : undefined}
            onChange={(e) => onChange(e.target.checked ? 'true' : 'false')}
          />
          <label htmlFor={id}>{f.label}</label>
          {locked !== undefined && (
            <span id={`${id}-locked`} className="muted locked">
              {locked}
            </span>
          )}
          {note && (
            <span id={`${id}-note`} className="field-note">
              {note}
            </span>
          )}
        </div>
      );
    case 'choice':
      return (
        <fieldset className="report-field report-choice">
          <legend>{f.label}</legend>
          <div className="choices">
            {(f.choices ?? []).map((c) => (
              <label key={c} className="choice">
                <input type="radio" name={id} value={c} checked={value === c} onChange={() => onChange(c)} />
                {c}
              </label>
            ))}
            {value !== '' && (
              <button type="button" className="link" onClick={() => onChange('')}>
                Clear {f.label}
              </button>
            )}
          </div>
        </fieldset>
      );
    case 'number':
      return (
        <div className="report-field">
          <label htmlFor={id}>{f.label}</label>
          <input
            id={id}
            type="text"
            inputMode="decimal"
            value={value}
            onChange={(e) => onChange(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
          />
          {errorLine}
        </div>
      );
    default:
      return (
        <div className="report-field">
          <label htmlFor={id}>{f.label}</label>
          <GrowingTextarea id={id} rows={f.key === NOTES.key ? 3 : 1} value={value} onChange={(e) => onChange(e.target.value)} />
        </div>
      );
  }
}

/** The latest report values in the conversation, and who filed what when; saved: "Report saved" while it shows. */
export function ReportSummary({ view, saved }: { view: ThreadView; saved: string }) {
  const fields = reportFieldsOf(view.reportFields);
  // A report filed offline shows at once, as a reply does: as a reply's does, its line says it has
  // not reached the campaign server (offline it waits; online it is on its way). Online, a sync
  // that keeps failing (the server fails the report, or a change before it) says why in the
  // status (problem, "" while sync goes well), which the Outbox shows in full: "sending…" would
  // say it is on its way for as long as it is not.
  // A server too busy to take the connection is not "back online" away: its own words, as the status bar's.
  const holdup = useHoldup();
  const offline = holdup === 'offline';
  const troubled = holdup === 'failing' || holdup === 'refused';
  // The inbox beside the Outbox keeps its filter and search, as the status bar's Outbox keeps them.
  const { search } = useLocation();
  const waiting = new Set(view.pendingReports ?? []);
  if (view.reports.length === 0) {
    return <p className="report-summary muted small">No report yet.</p>;
  }
  const latest = view.latestReport;
  // A field an admin removed since keeps its latest value here too, after the form's, by its last label
  // (ThreadView.removedFields): else the summary would drop what the volunteer last filed in it.
  const shown = [...fields, ...(view.removedFields ?? [])].filter((f) => valueLabel(f, latest[f.key]) !== '');
  const unsent = holdup ? `not sent yet: ${notSentWhy(holdup)}` : 'sending…';
  const yours = waiting.size === 1 ? 'your report' : `${waiting.size} of your reports`;
  return (
    <section className="report-summary" aria-label="Report">
      {offline && waiting.size > 0 && (
        <p className="muted small">Not sent yet: {waiting.size === 1 ? 'your report goes' : `${waiting.size} of your reports go`} to the campaign server when you are back online.</p>
      )}
      {holdup === 'busy' && waiting.size > 0 && (
        <p className="muted small">Not sent yet: the campaign server is busy, and Textbank tries again.</p>
      )}
      {troubled && waiting.size > 0 && (
        <p className="muted small">
          Not sent yet: {yours} {waiting.size === 1 ? 'has' : 'have'} not gone through to the campaign server. The{' '}
          <Link to={{ pathname: `/c/${view.thread.campaignId}/outbox`, search }}>Outbox</Link> says why.
        </p>
      )}
      <dl className="report-latest">
        {shown.map((f) => (
          <div key={f.key}>
            <dt>{f.label}</dt>
            <dd>{valueLabel(f, latest[f.key])}</dd>
          </div>
        ))}
      </dl>
      <div className="report-history-line">
        <details className="report-history">
          {/* Newest first, as the latest values above: numbered down, so the first report filed is 1.
              One report has no order to tell. */}
          <summary>
            Report history ({view.reports.length}
            {view.reports.length > 1 ? ', newest first' : ''})
          </summary>
          <ol reversed>
            {view.reports.map((r) => (
              <HistoryEntry key={r.id} r={r} fields={fields} removed={view.removedFields ?? []} unsent={waiting.has(r.id) ? unsent : ''} />
            ))}
          </ol>
        </details>
        {/* Beside the history the report just joined (read out by the tools' status). */}
        {saved && (
          <span className="report-saved" aria-hidden="true">
            {saved}
          </span>
        )}
      </div>
    </section>
  );
}

function HistoryEntry({ r, fields, removed, unsent }: { r: Report; fields: ReportField[]; removed: ReportField[]; unsent: string }) {
  // In the form's order; a field the action no longer has comes last, as the Go side knows it (its last
  // label and kind, else its key in words: ThreadView.removedFields), so a tag's value still reads Yes or No.
  const values = r.values ?? {};
  const known = fields.filter((f) => f.key in values);
  const unknown = Object.keys(values)
    .filter((k) => !fields.some((f) => f.key === k))
    .map((k): ReportField => removed.find((f) => f.key === k) ?? { key: k, label: k, kind: 'text' });
  const parts = [...known, ...unknown].map((f) => `${f.label}: ${valueLabel(f, values[f.key]) || '(cleared)'}`);
  return (
    <li>
      <span className="report-by">{r.submittedByName || 'You'}</span>
      <span aria-hidden="true"> · </span>
      <time dateTime={r.submittedAt}>{fullTime(r.submittedAt)}</time>
      {unsent && <span className="muted"> · {unsent}</span>}
      <p className="report-values">{parts.join('; ')}</p>
    </li>
  );
}
