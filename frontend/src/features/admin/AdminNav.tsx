import { useLocation, useParams } from 'react-router';
import { useInboxNavigate } from '../inbox/hooks';
import '../thread/conversations.css';
import { useIsAdmin } from './hooks';

/** The sidebar's "Admin" entry, for the campaign's admins only. */
export function AdminNav() {
  const { campaignId = '' } = useParams();
  const isAdmin = useIsAdmin(campaignId);
  const go = useInboxNavigate();
  const here = useLocation().pathname.endsWith('/admin');
  if (!isAdmin) return null;
  return (
    <nav className="admin-nav" aria-label="Organizer">
      <button type="button" className="nav-item" aria-current={here ? 'page' : undefined} onClick={() => go('/admin')}>
        Admin
      </button>
    </nav>
  );
}
