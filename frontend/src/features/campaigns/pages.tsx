import { useEffect, useState, type ReactNode } from 'react';
import { Navigate, useLocation, useNavigate, useParams } from 'react-router';
import type { Action } from '../../backend';
import { errorSentence } from '../../lib/format';
import { useInboxNavigate } from '../inbox/hooks';
import { ActionIntro } from './ActionIntro';
import { Join } from './Join';
import { useAction } from './hooks';
import { useStatus } from '../session/hooks';
import { Send } from '../send/Send';
import { useQueue } from '../send/hooks';

/** The action named in the route, or why it cannot be shown. */
function WithAction({ children }: { children: (a: Action) => ReactNode }) {
  const { campaignId = '', actionId = '' } = useParams();
  const q = useAction(campaignId, actionId);
  if (q.isError)
    return (
      <section className="pane">
        <p role="alert" className="error">
          {errorSentence(q.error)}
        </p>
      </section>
    );
  if (q.isPending) return <section className="pane" aria-busy="true" />;
  if (!q.data) return <Navigate to={`/c/${campaignId}`} replace />;
  return <>{children(q.data)}</>;
}

/**
 * The send screen's history entry when Start (or the intro's Text Again) was pressed: only that
 * press asks the server for a batch. The entry forgets it once read, so Back or Forward onto it,
 * or a reload, asks for nothing.
 */
const pressedStart = { pressedStart: true };
const wasPressed = (state: unknown) => typeof state === 'object' && state !== null && 'pressedStart' in state;

export function ActionIntroPage() {
  const go = useInboxNavigate();
  return (
    <WithAction>
      {(a) => <ActionIntro action={a} onStart={() => go(`/action/${a.id}/send`, pressedStart)} onBackToInbox={() => go('')} />}
    </WithAction>
  );
}

export function SendPage() {
  const go = useInboxNavigate();
  return <WithAction>{(a) => <SendOrIntro key={a.id} action={a} onBackToInbox={() => go('')} />}</WithAction>;
}

/**
 * A volunteer who came back to the send screen through history (after Stop for now, Settings,
 * Back) finds the contacts they still hold, or the action's page with Start: a batch of contacts
 * handed out by a Back, unasked, would be theirs to text or release.
 */
function SendOrIntro({ action, onBackToInbox }: { action: Action; onBackToInbox: () => void }) {
  const { pathname, search, state } = useLocation();
  const navigate = useNavigate();
  const pressed = wasPressed(state);
  useEffect(() => {
    if (pressed) navigate({ pathname, search }, { replace: true });
  }, [pressed, navigate, pathname, search]);
  const q = useQueue(action.id);
  const empty = q.isSuccess && q.data.items.length === 0;
  // Decided once, on arrival: a batch that empties on this screen keeps its Text Again.
  const [send, setSend] = useState(pressed);
  if (!send && (q.isError || (q.isSuccess && !empty))) setSend(true);
  if (send) return <Send action={action} onBackToInbox={onBackToInbox} />;
  if (empty) return <Navigate to={{ pathname: `/c/${action.campaignId}/action/${action.id}`, search }} replace />;
  return <section className="pane" aria-busy="true" />;
}

export function JoinAnotherPage() {
  const go = useInboxNavigate();
  const navigate = useNavigate();
  const demoCode = useStatus().data?.demoJoinCode;
  return (
    <section className="pane">
      <Join onJoined={(c) => navigate(`/c/${c.id}`)} onCancel={() => go('')} demoCode={demoCode} />
    </section>
  );
}
