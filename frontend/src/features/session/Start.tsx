import { Navigate } from 'react-router';
import { useCampaigns } from '../campaigns/hooks';
import { errorSentence } from '../../lib/format';
import { rememberedCampaign, useStatus } from './hooks';

/** The first route: signed out goes to sign in, no campaign to join, else the remembered campaign's inbox. */
export function Start() {
  const st = useStatus();
  const signedIn = st.data?.signedIn === true;
  const camps = useCampaigns(signedIn);

  if (st.isError) return <Failed error={errorSentence(st.error)} retry={() => void st.refetch()} />;
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

function Failed({ error, retry }: { error: string; retry: () => void }) {
  return (
    <main className="center">
      <p role="alert" className="error">
        {error}
      </p>
      <button type="button" onClick={retry}>
        Try again
      </button>
    </main>
  );
}
