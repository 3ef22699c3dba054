import { useEffect, useRef } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { notAShortcut } from '../../lib/keys';

/**
 * Settings' Back, for its arrow and for Escape: Escape leaves Settings as it
 * leaves a menu or a dialog, except in a field, a list or a dialog, where it
 * is theirs (notAShortcut). Opened first (no page before it in this window),
 * Back goes home, not out of the app.
 */
export function useBack(): () => void {
  const navigate = useNavigate();
  const location = useLocation();
  const back = () => (location.key === 'default' ? navigate('/') : navigate(-1));
  const latest = useRef(back);
  latest.current = back;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !notAShortcut(e)) latest.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return back;
}
