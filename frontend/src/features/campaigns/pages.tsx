import type { ReactNode } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router';
import type { Action } from '../../backend';
import { errorSentence } from '../../lib/format';
import { useInboxNavigate } from '../inbox/hooks';
import { ActionIntro } from './ActionIntro';
import { Join } from './Join';
import { useAction } from './hooks';
import { useStatus } from '../session/hooks';
import { Send } from '../send/Send';

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

export function ActionIntroPage() {
  const go = useInboxNavigate();
  return <WithAction>{(a) => <ActionIntro action={a} onStart={() => go(`/action/${a.id}/send`)} onBackToInbox={() => go('')} />}</WithAction>;
}

export function SendPage() {
  const go = useInboxNavigate();
  return <WithAction>{(a) => <Send key={a.id} action={a} onBackToInbox={() => go('')} />}</WithAction>;
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
