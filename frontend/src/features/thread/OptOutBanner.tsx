import { useState } from 'react';
import type { ThreadView } from '../../backend';
import { errorMessage, sentence } from '../../lib/format';
import { OPT_OUT, useSubmitReport } from './conversation';

/**
 * A reply that reads like "stop texting me" without being a keyword: the
 * volunteer decides, with one button that files the Opt Out report, or one
 * that files a report saying it is not (any report after the text decides,
 * inbox.OptOutUndecided, so the banner goes and the conversation leaves Needs
 * Attention for that reason).
 */
export function OptOutBanner({ view }: { view: ThreadView }) {
  const submit = useSubmitReport(view.thread.id);
  const [error, setError] = useState('');
  if (!view.optOutSuggested || view.thread.optedOut || view.thread.blocked) return null;
  const asked = [...view.messages].reverse().find((m) => m.direction === 'in' && m.likelyOptOut);
  const who = view.thread.contactName;
  return (
    <section className="banner optout-banner" aria-labelledby="optout-banner-title">
      <div>
        <p id="optout-banner-title" className="banner-title">
          This may be an opt-out request
        </p>
        <p className="small">
          {asked && <>“{asked.body}” · </>}If {who} asked to stop, opt them out: nobody in the organization will text them again.
        </p>
        {error && (
          <p role="alert" className="error-text small">
            {error}
          </p>
        )}
      </div>
      <div className="banner-actions">
        <button
          type="button"
          className="primary"
          disabled={submit.isPending}
          onClick={() => {
            setError('');
            submit.mutate({ [OPT_OUT.key]: 'true' }, { onError: (err) => setError(sentence(`Could not opt them out: ${errorMessage(err)}`)) });
          }}
        >
          Opt Out
        </button>
        <button
          type="button"
          disabled={submit.isPending}
          onClick={() => {
            setError('');
            submit.mutate({ [OPT_OUT.key]: 'false' }, { onError: (err) => setError(sentence(`Could not save that: ${errorMessage(err)}`)) });
          }}
        >
          Not an opt-out
        </button>
      </div>
    </section>
  );
}
