import { errorMessage, sentence } from '../../lib/format';

/**
 * The end of a dialog that asks before a change (Undo Opt Out, Opt Back In): why the server refused it, in words
 * (failed says what did not happen), that a busy server is asked again, and Cancel beside the confirming button.
 */
export function ConfirmFooter({
  error,
  failed,
  retrying,
  pending,
  confirm,
  confirming,
  onConfirm,
  onCancel,
}: {
  error: unknown;
  failed: string; // "The opt-out of Ada was not undone"
  retrying: boolean;
  pending: boolean;
  confirm: string; // the button: "Undo Opt Out"
  confirming: string; // while the server answers: "Undoing…"
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <>
      {error != null && (
        <p role="alert" className="error">
          {sentence(`${failed}: ${errorMessage(error)}`)}
        </p>
      )}
      {retrying && (
        <p role="status" className="notice">
          Server busy, trying again…
        </p>
      )}
      <div className="modal-buttons">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={pending} onClick={onConfirm}>
          {pending ? confirming : confirm}
        </button>
      </div>
    </>
  );
}
