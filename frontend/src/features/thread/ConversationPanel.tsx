import { useState } from 'react';
import type { ThreadView } from '../../backend';
import { OptOutBanner } from './OptOutBanner';
import { Reassign } from './ReassignDialog';
import { FillReport, ReportSummary } from './ReportForm';
import './conversations.css';

/**
 * The work on the conversation besides replying: its report and handing it
 * over. (Report abuse is in the header beside Archive, as a mail client keeps
 * Report spam beside Archive: away from the everyday steps, and so this row
 * stays one row in the smallest window.)
 */
export function ConversationTools({ view }: { view: ThreadView }) {
  const [saved, setSaved] = useState(false);
  return (
    <div className="conversation-tools" role="group" aria-label="Conversation">
      <FillReport view={view} onSaved={setSaved} />
      {!view.thread.blocked && <Reassign view={view} />}
      {/* Last, so the buttons do not move when it appears. */}
      <span role="status" className="report-saved">
        {saved ? 'Report saved' : ''}
      </span>
    </div>
  );
}

/** Above the messages: who handed the thread over and why, the opt-out suggestion, the report. */
export function ConversationNotes({ view }: { view: ThreadView }) {
  const r = view.thread.reassigned;
  return (
    <>
      {r && (
        <p className="notice reassigned-note">
          Reassigned to you by {r.fromUserName || 'a volunteer'}
          {r.note ? `: ${r.note}` : ''}
        </p>
      )}
      <OptOutBanner view={view} />
      <ReportSummary view={view} />
    </>
  );
}
