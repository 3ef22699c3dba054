import { useState, type FormEvent } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import type { BlockReason, ThreadView } from '../../backend';
import { errorMessage, sentence } from '../../lib/format';
import { blockReasons } from '../../lib/labels';
import { Modal } from '../../components/Modal';
import { useBlock } from './conversation';
import { GrowingTextarea } from '../../components/GrowingTextarea';

/** "Report abuse": the contact is blocked (opted out, hidden from the volunteer) and the organizers see the report. */
export function ReportAbuse({ view }: { view: ThreadView }) {
  const [open, setOpen] = useState(false);
  if (view.thread.blocked) return null;
  return (
    <>
      <button type="button" className="danger-quiet" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        Report abuse
      </button>
      {open && <BlockDialog view={view} onClose={() => setOpen(false)} />}
    </>
  );
}

function BlockDialog({ view, onClose }: { view: ThreadView; onClose: () => void }) {
  const [reason, setReason] = useState<BlockReason | ''>('');
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const block = useBlock(view.thread.id);
  const navigate = useNavigate();
  const { search } = useLocation();
  const { campaignId } = useParams();
  const who = view.thread.contactName;

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (block.isPending) return;
    if (!reason) {
      setError('Choose a reason: it tells your organizers what happened.');
      return;
    }
    setError('');
    block.mutate(
      { reason, note: note.trim() },
      {
        // The conversation leaves the inbox: back to the list (its filter and search kept, as the
        // conversation's Back keeps them), which says what happened.
        onSuccess: () =>
          navigate({ pathname: `/c/${campaignId ?? view.thread.campaignId}`, search }, {
            state: { done: `${who} is blocked and opted out. Your organizers have your report.` },
          }),
        onError: (err) => setError(sentence(`${who} was not blocked: ${errorMessage(err)}`)),
      },
    );
  }

  return (
    <Modal title={`Report abuse by ${who}`} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <p className="small">
          {who} will be opted out and blocked: you will not see their texts again. Your organizers see this report and
          keep the conversation.
        </p>
        <fieldset className="report-field report-choice">
          <legend>Reason</legend>
          <div className="choices">
            {blockReasons.map((r) => (
              <label key={r.value} className="choice">
                <input type="radio" name="block-reason" value={r.value} checked={reason === r.value} onChange={() => { setReason(r.value); setError(''); }} />
                {r.label}
              </label>
            ))}
          </div>
        </fieldset>
        <div className="report-field">
          <label htmlFor="block-note">Note (optional)</label>
          <GrowingTextarea id="block-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} placeholder="What did they say or do?" />
        </div>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <div className="modal-buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="danger" disabled={block.isPending}>
            {block.isPending ? 'Blocking…' : 'Block Contact'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
