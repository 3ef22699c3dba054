import { useEffect, useRef, type FocusEvent as ReactFocusEvent, type RefObject } from 'react';
import type { ResponseScript } from '../../backend';
import { focusItemUnderPointer, onMenuKey } from '../../lib/menuKeys';

interface FollowUpProps {
  scripts: ResponseScript[];
  /** The report field's label for a tag a script sets when sent. */
  tagLabel: (key: string) => string;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onPick: (s: ResponseScript) => void;
  /** The Follow Up button, for the composer to put focus back on (after a scripts-only Send). */
  buttonRef?: RefObject<HTMLButtonElement | null>;
}

/** A menu button listing the action's response scripts (WAI-ARIA menu button pattern). */
export function FollowUp({ scripts, tagLabel, open, onOpenChange, onPick, buttonRef: given }: FollowUpProps) {
  const menuRef = useRef<HTMLUListElement>(null);
  const own = useRef<HTMLButtonElement>(null);
  const buttonRef = given ?? own;

  useEffect(() => {
    if (open) menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [open]);

  function close() {
    onOpenChange(false);
    buttonRef.current?.focus();
  }

  // Focus leaving the menu (Tab, Shift+Tab, a click elsewhere) closes it, so it never stays open over the messages.
  function onMenuBlur(e: ReactFocusEvent<HTMLUListElement>) {
    if (!menuRef.current?.contains(e.relatedTarget as Node | null)) onOpenChange(false);
  }

  return (
    <div className="follow-up">
      <button
        type="button"
        ref={buttonRef}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls="follow-up-menu"
        aria-keyshortcuts="F"
        // While the menu is open, a press on the button closes it (and must not first blur the menu, which would reopen it).
        onMouseDown={(e) => open && e.preventDefault()}
        onClick={() => {
          if (open) buttonRef.current?.focus();
          onOpenChange(!open);
        }}
        disabled={scripts.length === 0}
        title={scripts.length === 0 ? 'This action has no response scripts' : undefined}
      >
        Follow Up
      </button>
      {open && (
        <ul
          id="follow-up-menu"
          role="menu"
          aria-label="Response scripts"
          ref={menuRef}
          onKeyDown={(e) => onMenuKey(e, menuRef.current, close)}
          onMouseMove={focusItemUnderPointer}
          onBlur={onMenuBlur}
        >
          {scripts.map((s) => (
            <li
              key={s.id}
              role="menuitem"
              tabIndex={-1}
              onClick={() => onPick(s)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  onPick(s);
                }
              }}
            >
              <span className="script-label">{s.label}</span>
              {/* The body in two lines at most; what it sets in the report always shows, on its own line. */}
              <span className="script-body muted">{s.body}</span>
              {s.tags && s.tags.length > 0 && (
                <span className="script-tags muted small"> Sets {s.tags.map(tagLabel).join(', ')} in the report</span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
