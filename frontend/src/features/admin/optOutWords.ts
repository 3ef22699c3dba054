import type { AdminOptOut } from '../../backend';

// Where an opt-out came from, in words: the list of opt-outs says it on each
// row, and a conversation's opt-out line after "Opted out". Never the
// server's reason as it is stored ("blocked by a volunteer: threats"), which
// is the export's.

/** Where an opt-out came from, in words (AdminOptOut.source: the server's). */
export function optOutSource(o: AdminOptOut): string {
  switch (o.source) {
    case 'report':
      return 'Reported by a volunteer in a conversation';
    case 'contact':
      return `The contact asked to stop (${o.reason})`;
    case 'block':
      return 'Blocked by a volunteer';
    case 'import':
      // The list's file, as the server keeps it apart (AdminOptOut.importedFrom): the reason is the export's words.
      return o.importedFrom ? `On an opt-out list imported from ${o.importedFrom}` : 'On an imported opt-out list';
    default:
      return `Opted out before Textbank kept where opt-outs came from (${o.reason})`;
  }
}

/**
 * A conversation's opt-out, for the line under it (OptOutLine): "Opted out: the contact asked to stop (keyword:
 * STOP)". One recorded before sources were kept says so by itself.
 */
export function optedOutLine(o: AdminOptOut): string {
  const source = optOutSource(o);
  return o.source ? `Opted out: ${source.charAt(0).toLowerCase()}${source.slice(1)}` : source;
}

/**
 * A blocked conversation's opt-out, said where it is (the Opt-outs row, the conversation read in the Admin
 * section): their START, Opt Back In and Undo Opt Out lift the organization's opt-out, never the block (the server's).
 */
export function blockStays(who: string): string {
  return `Blocked: a volunteer reported ${who} for abuse. Lifting the opt-out leaves the block: nobody replies in this conversation.`;
}
