import { fullTime } from '../../lib/format';

/** A time as every row and dialog of the Admin section says it, machine-readable too. */
export function When({ at }: { at: string }) {
  return <time dateTime={at}>{fullTime(at)}</time>;
}
