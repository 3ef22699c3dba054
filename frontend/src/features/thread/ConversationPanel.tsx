import { useState } from 'react';
import type { ThreadView } from '../../backend';
import { ReportAbuse } from './BlockDialog';
import { OptOutBanner } from './OptOutBanner';
import { Reassign } from './ReassignDialog';
import { FillReport, ReportSummary } from './ReportForm';
import './conversations.css';

/** What the volunteer can do with the conversation besides replying. */
export function ConversationTools({ view }: { view: ThreadView }) {
  const [saved, setSaved] = useState(false);
  return (
    <div className="conversation-tools" role="group" aria-label="Conversation">
      <FillReport view={view} onSaved={setSaved} />
      {!view.thread.blocked && <Reassign view={view} />}
      <ReportAbuse view={view} />
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
