import { Fragment, useRef, type HTMLAttributes, type Ref } from 'react';
import { useOverflows } from '../../lib/useOverflows';

/**
 * The action's instructions where the work is done (the send screen, beside
 * a reply), folded under "Instructions": the intro shows them once before
 * Start, and "if someone asks where to vote, use Polling place" is needed
 * when someone asks. Nothing when the action has none.
 */
export function InstructionsDisclosure({ text }: { text: string }) {
  const paras = paragraphs(text);
  // Opened, long ones scroll in a box of their own (12rem at most): a Tab stop then, as the
  // messages are, for the keyboard to scroll it (a mouse's wheel was the only way to the rest).
  const box = useRef<HTMLDivElement>(null);
  const scrolls = useOverflows(box, undefined, [text]);
  if (paras.length === 0) return null;
  return (
    <details className="instructions-disclosure">
      <summary>Instructions</summary>
      <Paragraphs paras={paras} ref={box} {...(scrolls ? { tabIndex: 0, role: 'region', 'aria-label': 'Instructions' } : {})} />
    </details>
  );
}

/** The paragraphs of instructions, each keeping its line breaks. */
export function Paragraphs({ paras, ref, ...rest }: { paras: string[]; ref?: Ref<HTMLDivElement> } & HTMLAttributes<HTMLDivElement>) {
  return (
    <div className="instructions" ref={ref} {...rest}>
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
