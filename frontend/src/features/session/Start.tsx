import { Navigate } from 'react-router';
import { useCampaigns } from '../campaigns/hooks';
import { errorSentence } from '../../lib/format';
import { rememberedCampaign, useStatus } from './hooks';

/**
 * The first route: a copy of the inbox that cannot be opened says so, signed out goes to sign in, no campaign to join,
 * else the remembered campaign's inbox.
 */
export function Start() {
  const st = useStatus();
  const signedIn = st.data?.signedIn === true;
  const camps = useCampaigns(signedIn);

  if (st.isError) return <Failed error={errorSentence(st.error)} retry={() => void st.refetch()} />;
  // This computer's copy of the inbox could not be opened (a full disk, a file another program holds): signing in
  // could not help, so the window says what is wrong and what to do; asking again tries the opening again (Go's
  // client/reopen.go), and once it opens the saved sign-in carries on.
  if (st.data?.unopened) return <Failed error={st.data.problem} retry={() => void st.refetch()} />;
  if (st.data && !signedIn) return <Navigate to="/signin" replace />;
  if (camps.isError) return <Failed error={errorSentence(camps.error)} retry={() => void camps.refetch()} />;
  if (!camps.data) return <Loading />;
  if (camps.data.length === 0) return <Navigate to="/join" replace />;
  const stored = rememberedCampaign();
  const id = camps.data.some((c) => c.id === stored) ? stored! : camps.data[0].id;
  return <Navigate to={`/c/${id}`} replace />;
}

export function Loading() {
  return (
    <main className="center">
      <p className="muted">Opening Textbank…</p>
    </main>
  );
}

/** What kept the inbox from opening and Try again, together in one card (the page's grid spread them apart). */
function Failed({ error, retry }: { error: string; retry: () => void }) {
  return (
    <main className="center">
      <section className="auth-card" aria-labelledby="failed-title">
        <h1 id="failed-title">Textbank cannot open your inbox</h1>
        <p role="alert" className="error">
          {error}
        </p>
        <button type="button" className="primary" onClick={retry}>
          Try again
        </button>
      </section>
    </main>
  );
}
