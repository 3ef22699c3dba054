import { Fragment, useEffect, useRef, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import {
  pauseNotifications,
  resumeNotifications,
  setNotifications,
  setServerURL,
  setShowMessageText,
  setStartAtLogin,
  setTextSize,
  setTheme,
  showLogs,
  type PauseChoice,
  type SettingsView,
  type Theme,
} from '../../backend';
import { useMutation } from '@tanstack/react-query';
import { DEMO_SERVER, errorMessage, fullTime, closed } from '../../lib/format';
import { useAway } from '../outbox/connection';
import { useStatus } from '../session/hooks';
import { AutoArchive } from '../inbox/AutoArchive';
import { useAppSettings, useServerVersion, useSetter } from './hooks';
import { Failure } from './Failure';
import { ChangePassword, YourName } from './Profile';
import { Sound } from './Sound';

const textSizes = [75, 90, 100, 110, 125, 150, 175, 200];
const themes: { value: Theme; label: string }[] = [
  { value: 'system', label: 'Same as the computer' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];


function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = `settings-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section className="settings-section" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** A notification pause still running at `now`, or null. */
export function pausedUntil(s: SettingsView, now = new Date()): Date | null {
  if (!s.pausedUntil) return null;
  const t = new Date(s.pausedUntil);
  return Number.isNaN(t.getTime()) || t <= now ? null : t;
}

/** This computer's settings, and the Automatic Archive Setting (the server's) when signed in. */
export function SettingsScreen() {
  const navigate = useNavigate();
  const location = useLocation();
  const { data, isError, error } = useAppSettings();
  const signedIn = useStatus().data?.signedIn ?? false;
  // Settings opened first (no page before it in this window): Back goes
  // home, not out of the app.
  const back = () => (location.key === 'default' ? navigate('/') : navigate(-1));

  return (
    <section className="pane settings" aria-labelledby="settings-title">
      <header className="pane-header">
        <button type="button" className="back" onClick={back} aria-label="Back">
          ‹
        </button>
        <h1 id="settings-title">Settings</h1>
      </header>
      {!data ? (
        isError ? <Failure error={error} /> : <p className="muted">Loading the settings…</p>
      ) : (
        <>
          <Account s={data} />
          <Notifications s={data} />
          <StartAtLogin s={data} />
          {signedIn && (
            <Section title="Inbox">
              <AutoArchive />
            </Section>
          )}
          <Appearance s={data} />
          <About s={data} />
        </>
      )}
    </section>
  );
}

function Account({ s }: { s: SettingsView }) {
  // Who is signed in, with the address the status bar has no room for; its Sign out is the way out, as on every screen.
  const status = useStatus().data;
  const user = status?.user;
  // Offline, busy or at a refused address: what changing the name or password would meet.
  const away = useAway();
  return (
    <Section title="Account">
      {user && (
        <div className="settings-row signed-in">
          <p>
            Signed in as <strong>{user.name}</strong> ({user.email})
          </p>
        </div>
      )}
      {user && (
        <>
          <YourName user={user} away={away} />
          <ChangePassword away={away} />
        </>
      )}
      {s.demo ? (
        // The demo starts its own server, and clean, every time: an address saved here would never be used.
        <p className="muted small">Campaign server: {DEMO_SERVER}, started clean by this demo.</p>
      ) : (
        <ServerAddress s={s} />
      )}
      <p className="muted small">
        {s.tokenStorage === 'file'
          ? 'Your sign-in is kept in a private file on this computer.'
          : s.tokenStorage === 'keyring'
            ? "Your sign-in is kept in this computer's keyring."
            : ''}
      </p>
    </Section>
  );
}

/**
 * The address TEXTBANK_SERVER sets: it wins at every start, so an address
 * saved here would never be used. Shown read-only, with where it comes from
 * and how to change it, rather than a Save that pretends.
 */
function ServerFromEnv({ s }: { s: SettingsView }) {
  return (
    <>
      <div className="settings-row">
        <label htmlFor="server-url">Server address</label>
        <input
          id="server-url"
          type="text"
          readOnly
          spellCheck={false}
          value={s.activeServer}
          aria-describedby="server-url-hint"
        />
      </div>
      <p id="server-url-hint" className="muted small">
        This address comes from the TEXTBANK_SERVER setting on this computer, which Textbank uses instead of one
        entered here. To use another address, remove TEXTBANK_SERVER (or ask whoever set up this computer), restart
        Textbank, and enter the address here.
        {s.serverUrl && s.serverUrl !== s.activeServer && ` Without it, Textbank would use ${s.serverUrl}, saved here earlier.`}
      </p>
      {s.serverRefused && (
        <p className="notice" role="status">
          {s.serverRefused}
        </p>
      )}
    </>
  );
}

/** The campaign server's address, saved for the next start. */
function ServerAddress({ s }: { s: SettingsView }) {
  if (s.serverFromEnv) return <ServerFromEnv s={s} />;
  return <SavedServerAddress s={s} />;
}

function SavedServerAddress({ s }: { s: SettingsView }) {
  const [url, setUrl] = useState(s.serverUrl);
  const save = useSetter(setServerURL);
  const field = useRef<HTMLInputElement>(null);
  // A saved address that arrives shows; adjusted while rendering (as Your name), so the mount's
  // effect cannot put it back over what was just typed.
  const [shown, setShown] = useState(s.serverUrl);
  if (s.serverUrl !== shown) {
    setShown(s.serverUrl);
    setUrl(s.serverUrl);
  }
  const changed = url.trim() !== s.serverUrl;
  return (
    <>
      <form
        className="settings-row"
        onSubmit={(e) => {
          e.preventDefault();
          // Save address turns disabled while saving and once saved: the
          // keyboard stays in the field rather than falling to the page.
          field.current?.focus();
          if (changed) save.mutate(url.trim());
        }}
      >
        <label htmlFor="server-url">Server address</label>
        <input
          ref={field}
          id="server-url"
          type="text"
          inputMode="url"
          spellCheck={false}
          value={url}
          placeholder={s.activeServer}
          onChange={(e) => setUrl(e.target.value)}
          aria-describedby="server-url-hint"
        />
        <button type="submit" disabled={!changed || save.isPending}>
          Save address
        </button>
      </form>
      <p id="server-url-hint" className="muted small">
        {s.serverFromFlag
          ? `This run uses ${s.activeServer}, given when Textbank was started; an address saved here is used when it starts without one.`
          : `In use: ${s.activeServer}`}
      </p>
      {/* An old plain http:// address this run will not use: what to do, where it is done. */}
      {s.serverRefused && !s.restartNeeded && (
        <p className="notice" role="status">
          {s.serverRefused}
        </p>
      )}
      {s.restartNeeded && (
        <p className="notice" role="status">
          {s.restartKeepsCache
            ? 'Restart needed: Textbank uses the new address the next time it starts; your conversations and unsent changes stay.'
            : 'Restart needed: Textbank uses the new address (and reloads your conversations) the next time it starts.'}
        </p>
      )}
      <Failure error={save.error} />
    </>
  );
}

function Notifications({ s }: { s: SettingsView }) {
  const onOff = useSetter(setNotifications);
  const pause = useSetter((c: PauseChoice) => pauseNotifications(c));
  const resume = useSetter(() => resumeNotifications());
  const text = useSetter(setShowMessageText);
  const on = s.notifications === 'on';
  const until = pausedUntil(s);
  const pauseError = pause.error ?? resume.error;
  // Pausing swaps the pause buttons for Resume, and resuming swaps them back:
  // the button pressed goes, so the keyboard goes to the one that undoes it.
  const paused = Boolean(until);
  const resumeButton = useRef<HTMLButtonElement>(null);
  const pauseButton = useRef<HTMLButtonElement>(null);
  // Only after a press here: a pause that runs out on its own moves nothing.
  const pressed = useRef(false);
  const wasPaused = useRef(paused);
  useEffect(() => {
    const changed = wasPaused.current !== paused;
    wasPaused.current = paused;
    const lost = !document.activeElement || document.activeElement === document.body;
    if (changed && pressed.current && lost) (paused ? resumeButton : pauseButton).current?.focus();
    if (changed) pressed.current = false;
  }, [paused]);
  const pauseFor = (c: PauseChoice) => {
    pressed.current = true;
    pause.mutate(c);
  };
  return (
    <Section title="Notifications">
      <label className="settings-row">
        <input type="checkbox" role="switch" checked={on} onChange={(e) => onOff.mutate(e.target.checked)} />
        Notify me of new replies
      </label>
      <Failure error={onOff.error} />
      {on && (
        <div className="settings-row">
          {/* Keyed, so the button pressed goes with its state (not reused for the other's). */}
          {until ? (
            <Fragment key="paused">
              <span>Paused until {fullTime(until.toISOString())}</span>
              <button type="button" ref={resumeButton} onClick={() => {
                  pressed.current = true;
                  resume.mutate(undefined);
                }} disabled={resume.isPending}>
                Resume notifications
              </button>
            </Fragment>
          ) : (
            <Fragment key="on">
              <button type="button" ref={pauseButton} onClick={() => pauseFor('hour')} disabled={pause.isPending}>
                Pause for 1 hour
              </button>
              <button type="button" onClick={() => pauseFor('tomorrow')} disabled={pause.isPending}>
                Pause until tomorrow
              </button>
            </Fragment>
          )}
        </div>
      )}
      <Failure error={pauseError} />
      <Sound s={s} />
      <label className="settings-row">
        <input type="checkbox" role="switch" checked={s.showMessageText} aria-describedby="message-text-hint" onChange={(e) => text.mutate(e.target.checked)} />
        Show message text in notifications
      </label>
      <p id="message-text-hint" className="muted small">Turn off to keep replies private on a lock screen: the notification says who replied, not what they wrote.</p>
      <Failure error={text.error} />
    </Section>
  );
}

function StartAtLogin({ s }: { s: SettingsView }) {
  const set = useSetter(setStartAtLogin);
  return (
    <Section title="Start at login">
      <label className={s.demo ? 'settings-row disabled' : 'settings-row'}>
        <input
          type="checkbox"
          role="switch"
          // The demo keeps nothing once it quits: started at login, it would begin again clean. Shown off, with why.
          checked={s.startAtLogin && !s.demo}
          disabled={s.demo}
          onChange={(e) => set.mutate(e.target.checked)}
          aria-describedby="start-at-login-hint"
        />
        Start Textbank when I log in
      </label>
      <p id="start-at-login-hint" className="muted small">
        {s.demo
          ? 'The demo does not start at login: it keeps nothing once it quits.'
          : 'It starts hidden in the tray and keeps your conversations up to date.'}
      </p>
      <Failure error={set.error} />
    </Section>
  );
}

function Appearance({ s }: { s: SettingsView }) {
  const theme = useSetter(setTheme);
  const size = useSetter(setTextSize);
  const sizes = textSizes.includes(s.textSize) ? textSizes : [...textSizes, s.textSize].sort((a, b) => a - b);
  return (
    <Section title="Appearance">
      <fieldset className="settings-row">
        <legend>Theme</legend>
        {themes.map((t) => (
          <label key={t.value}>
            <input
              type="radio"
              name="theme"
              value={t.value}
              checked={s.theme === t.value}
              onChange={() => theme.mutate(t.value)}
            />{' '}
            {t.label}
          </label>
        ))}
      </fieldset>
      <Failure error={theme.error} />
      <div className="settings-row">
        <label htmlFor="text-size">Text size</label>
        <select id="text-size" value={s.textSize} onChange={(e) => size.mutate(Number(e.target.value))}>
          {sizes.map((n) => (
            <option key={n} value={n}>
              {n}%
            </option>
          ))}
        </select>
      </div>
      <Failure error={size.error} />
    </Section>
  );
}

function About({ s }: { s: SettingsView }) {
  const logs = useMutation({ mutationFn: () => showLogs() });
  const server = useServerVersion();
  return (
    <Section title="About">
      <p>Textbank {s.version || '(development build)'}</p>
      <p>
        Campaign server{' '}
        {server.isPending
          ? '…'
          : server.isError
            ? `version unknown: ${closed(errorMessage(server.error))}`
            : server.data || 'version not given'}
      </p>
      <button type="button" onClick={() => logs.mutate()} disabled={logs.isPending}>
        Show logs
      </button>
      <Failure error={logs.error} />
    </Section>
  );
}
