import { useRef, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { adminResults, type ActionResults, type ScriptPart, type ScriptResult, type TagCount } from '../../backend';
import { errorSentence, shortTime } from '../../lib/format';
import { keys } from '../../lib/queryKeys';
import { useOnScreen } from '../../lib/useOnScreen';
import { useOverflows } from '../../lib/useOverflows';
import './results.css';
import { TypeLabel } from '../../components/TypeLabel';

/**
 * Each action's results per initial script: the A/B comparison an organizer
 * would otherwise run `textbankd stats` for. The server counts them on each
 * call (nothing a send writes keeps them: about 3 s an action of 100,000
 * contacts), so they are read when the section opens, every minute while it
 * is in view (scrolled away, the Admin page costs the server nothing), and
 * on Refresh.
 */
function useAdminResults(campaignId: string, onScreen: boolean) {
  return useQuery({
    queryKey: keys.adminResults(campaignId),
    queryFn: () => adminResults(campaignId),
    enabled: campaignId !== '',
    staleTime: 0,
    refetchInterval: onScreen ? 60_000 : false,
  });
}

export function Results({ campaignId, id }: { campaignId: string; id: string }) {
  const section = useRef<HTMLElement>(null);
  const q = useAdminResults(campaignId, useOnScreen(section));
  return (
    <section ref={section} className="admin-section admin-results" aria-labelledby={id}>
      <div className="results-head">
        <h2 id={id} tabIndex={-1}>
          Results
        </h2>
        <button type="button" className="admin-mark" disabled={q.isFetching} onClick={() => void q.refetch()}>
          {q.isFetching && q.data ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      {q.isError && (
        <p role="alert" className="error">
          {errorSentence(q.error)}
        </p>
      )}
      {q.isPending && !q.isError && <p className="muted">Counting…</p>}
      {q.data && (
        <>
          <p className="muted small">Counted at {shortTime(new Date(q.dataUpdatedAt).toISOString())}.</p>
          {/* The figures first; what each counts for whoever asks (it took nine lines above them). */}
          <details className="results-help">
            <summary>What these figures count</summary>
            <p className="muted">
              Sent counts the first texts the SMS provider took; Failed, those that never reached the phone, including any held back
              because the number opted out first; Opt-outs, the numbers texted that are opted out of your organization now, in
              whichever campaign they asked. Under them, what the reports say: the conversations with a report, and for each tag,
              the conversations whose reports say it now; for each choice of a question, those whose latest answer it is; for a
              question answered in words, those that answered it; for a number, the latest answers added up. The rates are of
              texts sent.
            </p>
          </details>
          {q.data.actions.length === 0 && <p className="muted">This campaign has no actions yet.</p>}
          {q.data.actions.map((a) => (
            <ActionTable key={a.actionId} a={a} />
          ))}
        </>
      )}
    </section>
  );
}

function ActionTable({ a }: { a: ActionResults }) {
  const caption = (
    <>
      {a.action} <TypeLabel type={a.actionType} />
    </>
  );
  if (a.total.contacts === 0) {
    return (
      <div className="results-action">
        <h3>{caption}</h3>
        <p className="muted">This action has no contacts: nothing to count.</p>
      </div>
    );
  }
  const several = a.scripts.length > 1;
  return (
    <div className="results-action">
      <table className="results-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Script</th>
            <th scope="col">Contacts</th>
            <th scope="col">Sent</th>
            <th scope="col">Delivered</th>
            <th scope="col">Failed</th>
            <th scope="col">Replies</th>
            <th scope="col">Opt-outs</th>
          </tr>
        </thead>
        <tbody>
          {a.scripts.map((s) => (
            <Row
              key={s.script}
              r={s}
              label={scriptName(s.script, several)}
              text={s.dropped ? 'No longer in the action' : s.text}
              parts={s.dropped ? undefined : s.parts}
              dropped={s.dropped}
            />
          ))}
        </tbody>
        {several && (
          <tfoot>
            <Row r={a.total} label="All scripts" />
          </tfoot>
        )}
      </table>
      <ReportsTable a={a} several={several} />
    </div>
  );
}

/**
 * What volunteers recorded, per script: the conversations reported and each tag of the
 * report form, as a share of texts sent. A table of its own under the texts' figures, so
 * that neither runs off the side of the pane.
 */
function ReportsTable({ a, several }: { a: ActionResults; several: boolean }) {
  if (a.total.reported === 0 && a.total.tags.length === 0) return null;
  // Every script's tags come in the total's order: tags, text and number
  // fields first-class, each choice field's answers in a table of their own below.
  const tagAt = a.total.tags.flatMap((t, i) => (t.choice ? [] : [i]));
  const fields = [...new Set(a.total.tags.filter((t) => t.choice).map((t) => t.key))];
  return (
    <>
      <ScriptsTable
        a={a}
        several={several}
        caption="What the reports say"
        heads={['Reported', ...tagAt.map((i) => answerHead(a.total.tags[i]))]}
        cells={(r) => (
          <>
            <td>{count(r.reported)}</td>
            {tagAt.map((i) =>
              r.tags[i]?.kind === 'number' ? (
                <td key={i}>
                  {count(r.tags[i].sum ?? 0)} <span className="muted">({count(r.tags[i].count)} answered)</span>
                </td>
              ) : (
                <Share key={i} n={r.tags[i]?.count ?? 0} of={r.sent} />
              ),
            )}
          </>
        )}
      />
      {fields.map((key) => {
        // A choice field's answers per script ("Support": how many said each choice now).
        const at = a.total.tags.flatMap((t, i) => (t.key === key && t.choice ? [i] : []));
        return (
          <ScriptsTable
            key={key}
            a={a}
            several={several}
            caption={a.total.tags[at[0]].label}
            heads={at.map((i) => a.total.tags[i].choice ?? '')}
            cells={(r) => at.map((i) => <Share key={i} n={r.tags[i]?.count ?? 0} of={r.sent} />)}
          />
        );
      })}
    </>
  );
}

/** A column's head in What the reports say: a tag's label; a text question's answers; a number's sum. */
function answerHead(t: TagCount): string {
  if (t.kind === 'text') return `${t.label}: answered`;
  if (t.kind === 'number') return `${t.label}: sum`;
  return t.label;
}

/** A table of figures per script, and in total when there are several: what the reports say, a question's answers. */
function ScriptsTable({
  a,
  several,
  caption,
  heads,
  cells,
}: {
  a: ActionResults;
  several: boolean;
  caption: string;
  heads: string[];
  cells: (r: ScriptResult) => ReactNode;
}) {
  const row = (r: ScriptResult, label: string) => (
    <tr key={label}>
      <th scope="row">{label}</th>
      {cells(r)}
    </tr>
  );
  return (
    <table className="results-table results-reports">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Script</th>
          {heads.map((h, i) => (
            <th scope="col" key={i}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{a.scripts.map((s) => row(s, scriptName(s.script, several)))}</tbody>
      {several && <tfoot>{row(a.total, 'All scripts')}</tfoot>}
    </table>
  );
}

/** An action's one script: no number, as there is nothing to tell it from. */
const onlyScript = 'The script';

/** A script's name in a row header: "Script 2" among several, else "The script". */
const scriptName = (n: number, several: boolean) => (several ? `Script ${n}` : onlyScript);

/**
 * A count and its share of the script's texts sent; none while nothing is
 * sent, as Rate: 0.0% of nothing would read as reports that said no.
 */
function Share({ n, of }: { n: number; of: number }) {
  return (
    <td>
      {count(n)}
      {of > 0 && <span className="muted"> ({percent(n / of)})</span>}
    </td>
  );
}

const count = (n: number) => n.toLocaleString();
const percent = (rate: number) => `${(100 * rate).toFixed(1)}%`;

/**
 * A script's rate of its texts sent, none while nothing is sent (the
 * server's null): 0.0% would read as texts sent that nobody answered.
 */
function Rate({ rate }: { rate?: number | null }) {
  return rate == null ? null : <span className="muted">({percent(rate)})</span>;
}

/**
 * A script's words under its name: three lines, with Show all when there
 * are more, so that scripts that begin alike can be told apart from the
 * keyboard too (a title tooltip is for the mouse only). Its merge fields
 * come from the server split out (backend/script parses them, the one
 * parser): each is shown in words as one unit that never breaks across
 * lines, "First name or friend" for {first_name|friend}. A server that
 * sends no parts gets its text shown as it is.
 */
function ScriptText({ text, parts, dropped }: { text: string; parts?: ScriptPart[]; dropped?: boolean }) {
  const box = useRef<HTMLSpanElement>(null);
  const [all, setAll] = useState(false);
  const clamped = useOverflows(box, undefined, [text, all]);
  const cls = ['results-script', dropped && 'results-dropped', !all && 'clamp'].filter(Boolean).join(' ');
  return (
    <>
      <span ref={box} className={cls}>
        {parts?.length ? parts.map((p, i) => (p.field ? <MergeField key={i} p={p} /> : p.text)) : text}
      </span>
      {(clamped || all) && (
        <button type="button" className="link results-more" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? 'Show less' : 'Show all'}
        </button>
      )}
    </>
  );
}

/** A merge field in a script: its name in words, and what a contact without a value gets. */
function MergeField({ p }: { p: ScriptPart }) {
  return (
    <span className="merge-field">
      {p.label || p.field}
      {p.fallback && <span className="merge-fallback"> or {p.fallback}</span>}
    </span>
  );
}

/**
 * A script's figures, and its words in a row of their own under them, the
 * table's whole width: in the row header's column (about 9rem beside the
 * sidebar and the list) a merge field took a line to itself, and kept whole
 * it widened the column until Opt-outs went behind a sideways scroll. That
 * row's one cell is its row header, naming the script for a screen reader.
 */
function Row({ r, label, text, parts, dropped }: { r: ScriptResult; label: string; text?: string; parts?: ScriptPart[]; dropped?: boolean }) {
  return (
    <>
      <tr className={text ? 'results-has-script' : undefined}>
        <th scope="row">{label}</th>
        <td>{count(r.contacts)}</td>
        <td>{count(r.sent)}</td>
        <td>{count(r.delivered)}</td>
        <td>{count(r.failed)}</td>
        <td>
          {count(r.replies)} <Rate rate={r.replyRate} />
        </td>
        <td>
          {count(r.optOuts)} <Rate rate={r.optOutRate} />
        </td>
      </tr>
      {text && (
        <tr className="results-script-row">
          {/* A header of its own, saying whose words: a plain cell was named under Script alone. */}
          <th scope="row" colSpan={7}>
            <span className="sr-only">Text of {label === onlyScript ? onlyScript.toLowerCase() : label}:</span>{' '}
            <ScriptText text={text} parts={parts} dropped={dropped} />
          </th>
        </tr>
      )}
    </>
  );
}
