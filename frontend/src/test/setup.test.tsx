import { render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { keys } from '../lib/queryKeys';

// setup.ts fails a test in which React warns of list items without a unique key. React says it once per
// parent (here the element holding the items) in a test file, so each case has a parent of its own.
function Keyless() {
  return <ul>{['a', 'b'].map((x) => <li>{x}</li>)}</ul>;
}
function KeylessSilenced() {
  return <ol>{['a', 'b'].map((x) => <li>{x}</li>)}</ol>;
}
function Keyed() {
  return <ul>{['a', 'b'].map((x) => <li key={x}>{x}</li>)}</ul>;
}

describe('the missing-key check (setup.ts)', () => {
  it.fails('fails the test that rendered a list without keys', () => {
    render(<Keyless />);
  });

  // ScreenError.test.tsx silences console.error, React's own logging being expected there: the check still holds.
  it.fails('fails it where the test silenced console.error', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    render(<KeylessSilenced />);
  });

  it('passes a list whose items have keys', () => {
    render(<Keyed />);
  });
});

// setup.ts fails a test in which a query answered undefined (TanStack Query says so and fails the query).
function Answer({ answer }: { answer: string | undefined }) {
  const q = useQuery({ queryKey: keys.thread(answer ?? 'none'), queryFn: async () => answer as string, retry: false });
  return <p>{q.isPending ? 'Loading' : 'Loaded'}</p>;
}
function renderAnswer(answer: string | undefined) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <Answer answer={answer} />
    </QueryClientProvider>,
  );
}

describe('the undefined query data check (setup.ts)', () => {
  it.fails('fails the test in which a query answered undefined', async () => {
    renderAnswer(undefined);
    await screen.findByText('Loaded');
  });

  it('passes a query that answered', async () => {
    renderAnswer('yes');
    await screen.findByText('Loaded');
  });
});
