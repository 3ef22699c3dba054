import { render } from '@testing-library/react';

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
