import { Fragment } from 'react';
import type { Action } from '../../backend';
import { actionTypeLabel } from '../../lib/labels';
import { ActionFacts } from './ActionFacts';

interface ActionIntroProps {
  action: Action;
  onStart: () => void;
}

/** What the volunteer reads before texting: the action's purpose and how to do it. */
export function ActionIntro({ action, onStart }: ActionIntroProps) {
  const instructions = paragraphs(action.instructions);
  return (
    <section className="pane action-intro" aria-labelledby="action-title">
      <header>
        <h1 id="action-title">{action.title}</h1>
        <span className={`type-label type-${action.type}`}>{actionTypeLabel(action.type)}</span>
      </header>
      {action.description && (
        <p className="description">
          <Lines text={action.description} />
        </p>
      )}
      <ActionFacts action={action} />
      <h2>Instructions</h2>
      <div className="instructions">
        {instructions.length > 0 ? (
          instructions.map((para, i) => (
            <p key={i}>
              <Lines text={para} />
            </p>
          ))
        ) : (
          <p className="muted">No instructions for this action.</p>
        )}
      </div>
      <button type="button" className="primary big" onClick={onStart} autoFocus>
        Start
      </button>
    </section>
  );
}

/** A blank line (even one holding spaces) starts a new paragraph. */
function paragraphs(text: string): string[] {
  return text
    .trim()
    .split(/\r?\n[ \t]*\r?\n\s*/)
    .filter((para) => para !== '');
}

/**
 * The organizer's single line breaks, kept: instructions are often steps, one
 * a line, and HTML would run them together into one sentence.
 */
function Lines({ text }: { text: string }) {
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
