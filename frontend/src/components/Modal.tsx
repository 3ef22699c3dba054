import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { isTab } from '../lib/tabWrap';
import './Modal.css';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Extra class on the dialog box (its width). */
  className?: string;
  /** A Close button beside the title, for dialogs with nothing to submit (the shortcut sheet). */
  closeButton?: boolean;
  /** "alertdialog" for a question that interrupts (signing out would lose work). */
  role?: 'dialog' | 'alertdialog';
  /** The id of the sentence that says what the dialog is about, read with its name. */
  describedBy?: string;
  /**
   * Where focus goes on close when nothing had focus before (a dialog opened by
   * its shortcut, P, with focus on the page): the control that opens it.
   */
  returnFocus?: () => HTMLElement | null;
}

const focusable =
  'button:not(:disabled), input:not(:disabled), textarea:not(:disabled), select:not(:disabled), [href], [tabindex]:not([tabindex="-1"])';

/** The controls Tab stops on, in document order (some engines list a selector list's matches selector by selector). */
function tabbables(box: HTMLElement): HTMLElement[] {
  return Array.from(box.querySelectorAll<HTMLElement>(focusable)).sort((a, b) =>
    a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
  );
}

/**
 * The window's one modal dialog: focus moves into it (the first field, else
 * the first button), Tab and Shift+Tab stay inside, Escape closes, a click
 * on the backdrop closes, and on close focus goes back to the control that
 * opened it. aria-modal tells screen readers the page behind is inert, and
 * the letter shortcuts (lib/keys) stand down inside it.
 */
export function Modal({ title, onClose, children, className, closeButton, role = 'dialog', describedBy, returnFocus }: ModalProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const fallback = useRef(returnFocus);
  fallback.current = returnFocus;

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const box = ref.current;
    const items = box ? tabbables(box) : [];
    const first = items.find((el) => el.matches('input, textarea, select')) ?? items[0];
    (first ?? box)?.focus();
    // Focus that escapes anyway (a click on the page behind, a Tab the key
    // handler did not see) comes back: to the last control when it left
    // from the first (Shift+Tab), else to the first.
    const onFocusIn = (e: FocusEvent) => {
      if (!box || box.contains(e.target as Node)) return;
      const items = tabbables(box);
      const back = e.relatedTarget === items[0] ? items[items.length - 1] : items[0];
      (back ?? box).focus();
    };
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('focusin', onFocusIn);
      if (opener && opener !== document.body && opener.isConnected) {
        opener.focus();
        return;
      }
      // Opened from the page itself (a shortcut with nothing focused): focus would stay on the
      // body, and the keyboard start again from the top. The dialog's own opener, else the
      // pane's heading.
      const heading = document.querySelector<HTMLElement>('.main-pane h1, .pane h1');
      const to = fallback.current?.() ?? heading;
      if (to === heading && heading && !heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
      to?.focus();
    };
  }, []);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
      return;
    }
    if (!isTab(e) || !ref.current) return;
    const items = tabbables(ref.current);
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && (document.activeElement === first || document.activeElement === ref.current)) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        role={role}
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={describedBy}
        tabIndex={-1}
        className={`modal${className ? ` ${className}` : ''}`}
        onKeyDown={onKeyDown}
      >
        {/* A div, not a header: outside a section a header is a banner
            landmark, and the footer's Sign out dialog put one inside the
            footer's (axe: landmark-banner-is-top-level). */}
        <div className="modal-header">
          <h2 id={titleId} className="modal-title">
            {title}
          </h2>
          {closeButton && (
            <button type="button" onClick={onClose}>
              Close
            </button>
          )}
        </div>
        {children}
      </div>
    </div>
  );
}
