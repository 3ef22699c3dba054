import { setSound, type SettingsView } from '../../backend';
import { Failure } from './Failure';
import { useSetter } from './hooks';

/**
 * Play a sound, where Textbank can choose it (Linux). Elsewhere the system
 * plays its own sound for Textbank's notifications, or none, as its own
 * setting says (Go names where: soundSetIn); a switch there would do nothing.
 */
export function Sound({ s }: { s: SettingsView }) {
  const sound = useSetter(setSound);
  if (s.soundSetIn) {
    return <p className="settings-row muted">Whether a notification plays a sound is set on this computer, in {s.soundSetIn}.</p>;
  }
  return (
    <>
      <label className="settings-row">
        <input type="checkbox" role="switch" checked={s.sound} onChange={(e) => sound.mutate(e.target.checked)} />
        Play a sound
      </label>
      <Failure error={sound.error} />
    </>
  );
}
