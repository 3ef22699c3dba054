import { Fragment } from 'react';

/**
 * The action's instructions where the work is done (the send screen, beside
 * a reply), folded under "Instructions": the intro shows them once before
 * Start, and "if someone asks where to vote, use Polling place" is needed
 * when someone asks. Nothing when the action has none.
 */
export function InstructionsDisclosure({ text }: { text: string }) {
  const paras = paragraphs(text);
  if (paras.length === 0) return null;
  return (
    <details className="instructions-disclosure">
      <summary>Instructions</summary>
      <Paragraphs paras={paras} />
    </details>
  );
}

/** The paragraphs of instructions, each keeping its line breaks. */
export function Paragraphs({ paras }: { paras: string[] }) {
  return (
    <div className="instructions">
      {paras.map((para, i) => (
        <p key={i}>
          <Lines text={para} />
        </p>
      ))}
    </div>
  );
}

/** A blank line (even one holding spaces) starts a new paragraph. */
export function paragraphs(text: string): string[] {
  return text
    .trim()
    .split(/\r?\n[ \t]*\r?\n\s*/)
    .filter((para) => para !== '');
}

/**
 * The organizer's single line breaks, kept: instructions are often steps, one
 * a line, and HTML would run them together into one sentence.
 */
export function Lines({ text }: { text: string }) {
  const lines = text.trim().split(/\r?\n/);
  return (
    <>
      {lines.map((line, i) => (
        <Fragment key={i}>
          {i > 0 && <br />}
          {line}
        </Fragment>
      ))}
    </>
  );
}
