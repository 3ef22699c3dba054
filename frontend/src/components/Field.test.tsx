import { render, screen } from '@testing-library/react';
import { Field } from './Field';

describe('Field', () => {
  it('is named by its label and described by its hint, then its error', () => {
    render(<Field beside id="new-password" label="New password" type="password" value="" onChange={() => {}} hint="At least 8 characters." error="Too short." />);
    const input = screen.getByLabelText('New password');
    expect(input).toHaveAttribute('type', 'password');
    expect(input).toHaveAccessibleDescription('At least 8 characters. Too short.');
    expect(input).toBeInvalid();
  });

  it('without a hint or an error, describes nothing and is valid', () => {
    render(<Field id="signin-email" label="Email" value="" onChange={() => {}} />);
    const input = screen.getByRole('textbox', { name: 'Email' });
    expect(input).not.toHaveAttribute('aria-describedby');
    expect(input).toBeValid();
  });
});
