import { useEffect, useRef, useState, type FocusEvent as ReactFocusEvent, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import type { Campaign } from '../../backend';
import { focusItemUnderPointer, menuItems, onMenuKey } from '../../lib/menuKeys';
import { isAdmin } from '../admin/hooks';
import { useInboxNavigate } from '../inbox/hooks';
import { ArchivedBadge, CampaignName } from './CampaignName';

/**
 * The sidebar's campaign switcher: a menu button (WAI-ARIA menu button pattern, as Follow Up)
 * that switches only when a campaign is picked (Enter, Space, a click). It was a select that
 * switched at each change of its value, so each arrow key on it opened another campaign
 * (WCAG 3.2.2) and the third could not be reached without opening the second.
 */
export function CampaignSwitcher({ campaigns, currentId }: { campaigns: Campaign[]; currentId: string }) {
  const navigate = useNavigate();
  const go = useInboxNavigate();
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLUListElement>(null);
  // Where focus goes in the menu when it opens: the campaign on screen, or the last one (ArrowUp).
  const startAt = useRef<'current' | 'last'>('current');
  const current = campaigns.find((c) => c.id === currentId);

  useEffect(() => {
    if (!open) return;
    const items = menuItems(menuRef.current);
    const checked = items.find((i) => i.getAttribute('aria-checked') === 'true');
    (startAt.current === 'last' ? items[items.length - 1] : (checked ?? items[0]))?.focus();
  }, [open]);

  function close() {
    setOpen(false);
    buttonRef.current?.focus();
  }
  function pick(c: Campaign) {
    close();
    if (c.id !== currentId) navigate(`/c/${c.id}`);
  }
  function joinAnother() {
    setOpen(false);
    go('/join');
  }

  function onButtonKey(e: ReactKeyboardEvent<HTMLButtonElement>) {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    startAt.current = e.key === 'ArrowUp' ? 'last' : 'current';
    setOpen(true);
  }

  // Focus leaving the menu (Tab, a click elsewhere) closes it.
  function onMenuBlur(e: ReactFocusEvent<HTMLUListElement>) {
    if (!menuRef.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
  }

  return (
    <div className="campaign-switcher-menu">
      <span id="campaign-switch-label" className="sr-only">
        Switch campaign
      </span>
      {current && (
        <CampaignName
          campaign={current}
          suffix={organizerSuffix(current)}
          labelId="campaign-switch-name"
          control={(name) => (
            <button
              type="button"
              id="campaign-switch"
              ref={buttonRef}
              className="campaign-switch"
              aria-labelledby="campaign-switch-label campaign-switch-name"
              aria-haspopup="menu"
              aria-expanded={open}
              aria-controls="campaign-switch-menu"
              // While the menu is open, a press on the button closes it (and must not first blur the menu, which would reopen it).
              onMouseDown={(e) => open && e.preventDefault()}
              onClick={() => {
                startAt.current = 'current';
                if (open) buttonRef.current?.focus();
                setOpen(!open);
              }}
              onKeyDown={onButtonKey}
            >
              {name}
            </button>
          )}
        />
      )}
      {open && (
        <ul
          id="campaign-switch-menu"
          role="menu"
          aria-label="Campaigns"
          ref={menuRef}
          onKeyDown={(e) => onMenuKey(e, menuRef.current, close)}
          onMouseMove={focusItemUnderPointer}
          onBlur={onMenuBlur}
        >
          {campaigns.map((c) => (
            <li
              key={c.id}
              role="menuitemradio"
              aria-checked={c.id === currentId}
              tabIndex={-1}
              onClick={() => pick(c)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  pick(c);
                }
              }}
            >
              {/* Seen, not only heard (aria-checked): the campaign on screen is checked. */}
              <span className="menu-check" aria-hidden="true">
                {c.id === currentId ? '✓' : ''}
              </span>
              <span>
                {c.name + organizerSuffix(c)}
                {/* An archived campaign (its volunteers keep answering its conversations) says so in words,
                    in the name's line (beside it, it took half the menu's width from the name). */}
                {c.archived && (
                  <>
                    {' '}
                    <ArchivedBadge />
                  </>
                )}
              </span>
            </li>
          ))}
          {/* At the menu's foot, where the help article sends a volunteer ("scroll to the bottom and
              click + Join another campaign"): the sidebar's button under the switcher goes there too. */}
          <li role="separator" className="menu-separator" />
          <li
            role="menuitem"
            className="menu-join"
            tabIndex={-1}
            onClick={joinAnother}
            onKeyDown={(e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                joinAnother();
              }
            }}
          >
            <span className="menu-check" aria-hidden="true">
              +
            </span>
            <span>Join another campaign…</span>
          </li>
        </ul>
      )}
    </div>
  );
}

/** A campaign in the switcher: switching between campaigns one organizes and ones one texts for, it says which is which. */
function organizerSuffix(c: Campaign): string {
  return isAdmin(c) ? ' (organizer)' : '';
}
