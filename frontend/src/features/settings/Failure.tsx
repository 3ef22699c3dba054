import { errorSentence } from '../../lib/format';

/** A failed change, said beside the control that made it. */
export function Failure({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="error small">
      {errorSentence(error)}
    </p>
  );
}
