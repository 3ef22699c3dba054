import { useLayoutEffect, useRef, useState, type ReactElement, type ReactNode } from 'react';
import type { Campaign } from '../../backend';
import { archivedCampaignLabel, spokenCampaignName } from '../../lib/labels';

/**
 * A campaign's name where it is the current one (the switcher's button, the
 * top bar of a folded sidebar), on one line. A name too long for its room is
 * cut in the middle, its last word kept: "Springfield GOTV 2025" and
 * "Springfield GOTV 2026" were both cut to "Springfield GOTV 20...". The name
 * is whole in a tooltip when cut and always whole for screen readers. An
 * archived campaign says so beside the name, in words.
 *
 * The tooltip is the wrapper's title, not a control's: a control's title is
 * its accessible description, and a screen reader read the name twice.
 * Browsers show the nearest ancestor's title on hover; screen readers do not
 * read a generic wrapper's. A name that fits has no tooltip: it would only
 * repeat what shows. `control` puts the name inside a control (the
 * switcher's button) that the tooltip's wrapper holds.
 */
export function CampaignName({
  campaign,
  suffix = '',
  labelId,
  className,
  control,
}: {
  campaign: Campaign;
  /**
   * Words that belong with the name (" (organizer)"): read by screen readers and in the
   * tooltip, not drawn. Drawn, they took the room of the name itself in the sidebar's
   * button ("De...  Democracy (o..."); the sidebar's Admin section shows the role there.
   */
  suffix?: string;
  /** The id of the screen readers' words, for a control's aria-labelledby. */
  labelId?: string;
  className?: string;
  control?: (name: ReactNode) => ReactElement;
}) {
  const shown = campaign.name;
  const [head, tail] = splitForCut(campaign.name);
  const box = useRef<HTMLSpanElement>(null);
  const text = useRef<HTMLSpanElement>(null);
  const cut = useCut(box, text, shown);
  const name = (
    <>
      <span id={labelId} className="sr-only">
        {spokenName(campaign, suffix)}
      </span>
      <span className="middle-cut" ref={box} aria-hidden="true">
        <span className="middle-cut-head">{head}</span>
        <span className="middle-cut-tail">{tail}</span>
      </span>
      {campaign.archived && <ArchivedBadge aria-hidden />}
    </>
  );
  return (
    <span className={['campaign-name', className].filter(Boolean).join(' ')} title={cut ? shown + suffix : undefined}>
      {control ? control(name) : name}
      {/* The name as drawn, unbounded, to measure (hidden, in a box of no size). */}
      <span className="cut-name-measure" aria-hidden="true">
        <span ref={text}>{shown}</span>
      </span>
    </span>
  );
}

/** What a screen reader says for the campaign: its whole name, and that it is archived. */
export function spokenName(c: Campaign, suffix = ''): string {
  return spokenCampaignName(c.name + suffix, c.archived === true);
}

/** "Archived" beside an archived campaign's name; aria-hidden where the name's spoken words say it (spokenName). */
export function ArchivedBadge(props: { 'aria-hidden'?: boolean }) {
  return (
    <span className="badge archived-badge" {...props}>
      {archivedCampaignLabel}
    </span>
  );
}

// The end kept whole when a name is cut: its last word, or its last characters when that word is long.
const keptWord = 12;
const keptChars = 8;

/** A name split where its cut goes: the head gives way (with an ellipsis), the tail stays. */
export function splitForCut(name: string): [string, string] {
  const space = name.lastIndexOf(' ');
  const at = name.length - space - 1 <= keptWord && space > 0 ? space : Math.max(0, name.length - keptChars);
  return [name.slice(0, at), name.slice(at)];
}

/** Whether the text's unbounded width is more than its box's: the box cuts it. */
function useCut(box: React.RefObject<HTMLElement | null>, text: React.RefObject<HTMLElement | null>, words: string): boolean {
  const [cut, setCut] = useState(false);
  useLayoutEffect(() => {
    const room = box.current;
    const drawn = text.current;
    if (!room || !drawn) return;
    // 1px: sub-pixel layout must not make a name that fits count as cut.
    const check = () => setCut(drawn.offsetWidth > room.clientWidth + 1);
    check();
    // The sidebar's width follows Settings → Text size and the window.
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(check);
    observer.observe(room);
    return () => observer.disconnect();
  }, [box, text, words]);
  return cut;
}
