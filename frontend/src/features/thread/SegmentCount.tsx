import { useSegments } from './conversation';

/** "1 text", "2 texts (161 characters)": what the reply about to be sent costs, counted by the Go rule. */
export function segmentLabel(segments: number, characters: number): string {
  if (segments <= 1) return '1 text';
  return `${segments} texts (${characters} characters)`;
}

export function SegmentCount({ id, body }: { id: string; body: string }) {
  const q = useSegments(body);
  const text = body === '' || !q.data ? '' : segmentLabel(q.data.segments, q.data.characters);
  return (
    <p id={id} className="segment-count muted small" data-testid="segment-count">
      {text}
    </p>
  );
}
