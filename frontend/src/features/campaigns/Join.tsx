import { useEffect, useState, type FormEvent } from 'react';
import { checkJoinCode, type Campaign } from '../../backend';
import { errorSentence, plural, sentence } from '../../lib/format';
import { useBusyRetry } from '../../lib/useBusyRetry';
import { useCampaignSearch, useJoin } from './hooks';

interface JoinProps {
  onJoined: (campaign: Campaign) => void;
  /** Present when the volunteer already has a campaign to go back to. */
  onCancel?: () => void;
  /** In demo mode, the demo campaign's code, shown so a newcomer can start. */
  demoCode?: string;
}

const searchDelayMs = 250;

export function Join({ onJoined, onCancel, demoCode }: JoinProps) {
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState('');
  const [query, setQuery] = useState('');
  const [debounced, setDebounced] = useState('');
  // A code for a campaign the volunteer is already in opens nothing by itself: they are told so first.
  const [already, setAlready] = useState<Campaign | null>(null);
  const joined = (c: Campaign, wasIn: boolean) => (wasIn ? setAlready(c) : onJoined(c));
  const byCode = useJoin(joined);
  const found = useJoin(joined);
  const search = useCampaignSearch(debounced);
  const busy = byCode.isPending || found.isPending;
  const retrying = useBusyRetry(busy, 'join');

  useEffect(() => {
    const timer = setTimeout(() => setDebounced(query), searchDelayMs);
    return () => clearTimeout(timer);
  }, [query]);

  async function submitCode(e: FormEvent) {
    e.preventDefault();
    const bad = await checkJoinCode(code); // Go's rule (backend/joincode)
    setCodeError(bad ? sentence(bad) : '');
    setAlready(null);
    if (bad) return;
    byCode.mutate({ code: code.trim() }, { onError: (err) => setCodeError(errorSentence(err)) });
  }

  const searched = debounced.trim();
  const results = searched === '' ? null : (search.data ?? null);
  // A campaign found by its join code (a private one is found no other way)
  // joins by that code, as the code box does: the server lets a campaign be
  // joined by id only when it is public.
  const foundByCode = (c: Campaign) => searched !== '' && c.joinCode === searched;
  const searchError = search.isError ? errorSentence(search.error) : '';
  const joinError = found.isError ? errorSentence(found.error) : '';

  return (
    <section className="join" aria-labelledby="join-title">
      {onCancel ? (
        // From a campaign: Back at the top, as on Settings and the Outbox.
        <header className="pane-header">
          <button type="button" className="back" onClick={onCancel} aria-label="Back">
            ‹
          </button>
          <h1 id="join-title">Join a campaign</h1>
        </header>
      ) : (
        <h1 id="join-title">Join a campaign</h1>
      )}
      <form onSubmit={submitCode} noValidate className="join-code">
        <div className="field">
          <label htmlFor="join-code">Join code</label>
          <input
            id="join-code"
            inputMode="numeric"
            // Not 6: a code pasted as people write it ("123 456", "123-456")
            // would be cut before its spaces and dash are taken out.
            maxLength={16}
            autoComplete="off"
            placeholder="123456"
            value={code}
            onChange={(e) => {
              setCode(e.target.value.replace(/[\s-]/g, ''));
              setAlready(null);
            }}
            aria-invalid={codeError ? true : undefined}
            aria-describedby={codeError ? 'join-code-error' : 'join-code-hint'}
            autoFocus
          />
          <p id="join-code-hint" className="muted">
            The 6-digit code your campaign gave you.
            {demoCode && ` In this demo, it is ${demoCode}.`}
          </p>
        </div>
        {codeError && (
          <p id="join-code-error" role="alert" className="error">
            {codeError}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Join
        </button>
        {already && (
          <p role="status" className="already-in">
            You are already in {already.name}.{' '}
            {/* The words name the campaign: the button says Open, its name says which, so the two fit one line. */}
            <button type="button" aria-label={`Open ${already.name}`} onClick={() => onJoined(already)}>
              Open
            </button>
          </p>
        )}
        {retrying && (
          <p role="status" className="muted">
            Server busy, trying again…
          </p>
        )}
      </form>

      <h2>Or find a campaign</h2>
      <div className="field">
        <label htmlFor="campaign-search">Search campaigns</label>
        <input
          id="campaign-search"
          type="search"
          placeholder="Name, issue or code"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
      {searchError && (
        <p role="alert" className="error">
          {searchError}
        </p>
      )}
      {joinError && (
        <p role="alert" className="error">
          {joinError}
        </p>
      )}
      {/* One status region, there before any search, so a screen reader hears what each search found
          (the list appearing below the field is otherwise silent). */}
      <p className="muted search-status" role="status">
        {results && (results.length === 0 ? `No campaign matches "${searched}".` : `${plural(results.length, 'campaign')} found.`)}
      </p>
      {results && results.length > 0 && (
        <ul className="campaign-results" aria-label="Campaigns found">
          {results.map((c) => (
            <li key={c.id}>
              <div>
                <strong>{c.name}</strong>
                {c.issue && <span className="muted"> · {c.issue}</span>}
                {c.joinCode && <span className="muted"> · code {c.joinCode}</span>}
              </div>
              {/* One the volunteer is already in (the server says their role) is opened, not joined again. */}
              {c.role ? (
                <button type="button" onClick={() => onJoined(c)} disabled={busy} aria-label={`Open ${c.name}`}>
                  Open
                </button>
              ) : (
                <button type="button" onClick={() => found.mutate(foundByCode(c) ? { code: searched } : { id: c.id })} disabled={busy} aria-label={`Join ${c.name}`}>
                  Join
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
