import { Navigate, useNavigate } from 'react-router';
import { Join } from './Join';
import { useCampaigns } from './hooks';
import { useStatus } from '../session/hooks';
import { StatusBar } from '../outbox/StatusBar';
import { Notices } from '../outbox/notices';

/** A volunteer with no campaign yet. Campaigns that sync brings (signed in offline) move on by themselves. */
export function JoinPage() {
  const navigate = useNavigate();
  const status = useStatus().data;
  const camps = useCampaigns(status?.signedIn === true);
  if (status && !status.signedIn) return <Navigate to="/signin" replace />;
  if (camps.data && camps.data.length > 0) return <Navigate to={`/c/${camps.data[0].id}`} replace />;
  return (
    <div className="solo">
      <Notices />
      <main className="center">
        <Join onJoined={(c) => navigate(`/c/${c.id}`, { replace: true })} demoCode={status?.demoJoinCode} />
      </main>
      <StatusBar />
    </div>
  );
}
