import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { Modal } from '../../components/Modal';
import { keyNames, notAShortcut } from '../../lib/keys';

/**
 * Every keyboard shortcut the window has, in the volunteer's words. The
 * handlers live beside the screens they act on; this list is what the sheet
 * shows, so a new shortcut is added here too.
 */
function shortcuts(): { keys: string[]; what: string; chord?: boolean }[] {
  const { mod, alt } = keyNames();
  return [
    { keys: ['?'], what: 'Show this list of shortcuts' },
    { keys: ['Enter'], what: 'Send the text to the contact on screen (while texting)' },
    { keys: [mod, 'Enter'], what: 'Send the reply you wrote', chord: true },
    { keys: ['J'], what: 'Open the next conversation' },
    { keys: ['K'], what: 'Open the previous conversation' },
    { keys: ['↓', '↑'], what: 'Move between conversations in the list' },
    { keys: ['E'], what: 'Archive or unarchive the conversation' },
    { keys: ['F'], what: 'Follow Up: pick a response script' },
    { keys: ['P'], what: 'Fill Report on the conversation' },
    { keys: ['R'], what: 'Go to the reply box' },
    { keys: ['/'], what: 'Search conversations' },
    { keys: ['Esc'], what: 'Close a menu or this list, or leave the reply box' },
    { keys: [alt, '←'], what: 'Back (outside a text box or dialog)', chord: true },
  ];
}

const Ctx = createContext<() => void>(() => {});

/** Opens the shortcuts sheet from anywhere (the status bar's Keyboard shortcuts button). */
export function useShortcutSheet() {
  return useContext(Ctx);
}

/** Holds the sheet for the whole window; "?" opens it on any screen. */
export function ShortcutsProvider({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const show = useCallback(() => setOpen(true), []);
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.key !== '?' || notAShortcut(e)) return;
      e.preventDefault();
      setOpen(true);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <Ctx.Provider value={show}>
      {children}
      {open && <ShortcutSheet onClose={() => setOpen(false)} />}
    </Ctx.Provider>
  );
}

/** The list of shortcuts, in the window's one modal dialog. */
function ShortcutSheet({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose} closeButton>
      <dl className="shortcut-list">
        {shortcuts().map((s) => (
          <div key={s.what}>
            <dt>
              {s.keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && (s.chord ? ' + ' : ' ')}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{s.what}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
