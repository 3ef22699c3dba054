import { memo } from 'react';
import { errorSentence } from '../../lib/format';
import { useSetAutoArchive, useSettings } from './hooks';

/** Automatic archive (the SPEC's Automatic Archive Setting), at the bottom of the inbox; stored on the server, so it follows the volunteer. */
export const AutoArchive = memo(function AutoArchive() {
  const { data, isError, error } = useSettings();
  const set = useSetAutoArchive();
  return (
    <div className="auto-archive">
      <label>
        <input
          type="checkbox"
          role="switch"
          checked={data?.autoArchive ?? false}
          disabled={!data}
          onChange={(e) => set.mutate(e.target.checked)}
          aria-describedby="auto-archive-hint"
        />{' '}
        Automatic archive
      </label>
      {/* The SPEC's Automatic Archive Setting, in sentence case as the app's other switches, and
          without "Setting" (a switch is one). The hint says what it does ("Reported ones go to
          Archive." left the volunteer to work out which "ones"), in one line of the sidebar's
          foot, so the organizer's sidebar still fits a 1200x704 window (e2e/flows/handoff.mjs:
          "Filing a report moves the conversation to Archive.", two lines, did not). */}
      <p id="auto-archive-hint" className="muted small">
        Archives what you report.
      </p>
      {(isError || set.isError) && (
        <p role="alert" className="error small">
          {errorSentence(isError ? error : set.error)}
        </p>
      )}
    </div>
  );
});
