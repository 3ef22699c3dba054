import { useEffect, useRef, useState, type FormEvent } from 'react';
import { joinCampaign, joinCampaignByID, searchCampaigns, type Campaign } from '../backend';
import { errorMessage } from '../format';
import { joinCodeError } from '../validate';

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
  const [busy, setBusy] = useState(false);
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Campaign[] | null>(null);
  const [searchError, setSearchError] = useState('');
  const [joinError, setJoinError] = useState('');
  const searchSeq = useRef(0);

  useEffect(() => {
    const q = query.trim();
    if (q === '') {
      setResults(null);
      setSearchError('');
      return;
    }
    const seq = ++searchSeq.current;
    const timer = setTimeout(() => {
      searchCampaigns(q).then(
        (found) => {
          if (seq !== searchSeq.current) return;
          setResults(found);
          setSearchError('');
        },
        (err) => {
          if (seq !== searchSeq.current) return;
          setSearchError(errorMessage(err));
        },
      );
    }, searchDelayMs);
    return () => clearTimeout(timer);
  }, [query]);

  async function submitCode(e: FormEvent) {
    e.preventDefault();
    const bad = joinCodeError(code);
    setCodeError(bad ?? '');
    if (bad) return;
    setBusy(true);
    try {
      const campaign = await joinCampaign(code.trim());
      onJoined(campaign);
    } catch (err) {
      setCodeError(errorMessage(err));
      setBusy(false);
    }
  }

  async function joinFound(c: Campaign) {
    setJoinError('');
    setBusy(true);
    try {
      const campaign = await joinCampaignByID(c.id);
      onJoined(campaign);
    } catch (err) {
      setJoinError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <section className="join" aria-labelledby="join-title">
      <h1 id="join-title">Join a campaign</h1>
      <form onSubmit={submitCode} noValidate className="join-code">
        <div className="field">
          <label htmlFor="join-code">Join code</label>
          <input
            id="join-code"
            inputMode="numeric"
            pattern="[0-9]{6}"
            maxLength={6}
            autoComplete="off"
            placeholder="123456"
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\s/g, ''))}
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
      {results && results.length === 0 && (
        <p className="muted" role="status">
          No campaign matches "{query.trim()}".
        </p>
      )}
      {results && results.length > 0 && (
        <ul className="campaign-results" aria-label="Campaigns found">
          {results.map((c) => (
            <li key={c.id}>
              <div>
                <strong>{c.name}</strong>
                {c.issue && <span className="muted"> · {c.issue}</span>}
                {c.joinCode && <span className="muted"> · code {c.joinCode}</span>}
              </div>
              <button type="button" onClick={() => joinFound(c)} disabled={busy} aria-label={`Join ${c.name}`}>
                Join
              </button>
            </li>
          ))}
        </ul>
      )}
      {onCancel && (
        <p>
          <button type="button" className="link" onClick={onCancel}>
            Back to the inbox
          </button>
        </p>
      )}
    </section>
  );
}
