import { screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aStatus } from '../../test/fixtures';
import { renderApp } from '../../test/render';

// Whom to ask about the campaign was on each action's page only: a volunteer
// unsure how to answer a reply, in the inbox, had to open an action to find it.
describe('the inbox with no conversation open: whom to ask', () => {
  beforeEach(() => {
    fake.status.mockResolvedValue(aStatus());
    fake.actions.mockResolvedValue([anAction()]);
  });

  it('names the campaign’s contact when the campaign file gives one', async () => {
    fake.campaigns.mockResolvedValue([aCampaign({ contact: 'Orla Ortiz, orla@example.org' })]);
    renderApp('/c/c1');
    const inbox = await screen.findByRole('region', { name: 'Inbox' });
    expect(await within(inbox).findByText('Questions about the campaign: Orla Ortiz, orla@example.org')).toBeInTheDocument();
  });

  // "Questions about the campaign" tells a volunteer whom to ask: an organizer is the one asked, or works beside them.
  it('tells an organizer whom volunteers are sent to, not to ask them', async () => {
    fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin', contact: 'Orla Ortiz, orla@example.org' })]);
    renderApp('/c/c1');
    const inbox = await screen.findByRole('region', { name: 'Inbox' });
    expect(await within(inbox).findByText('Volunteers with questions are told to ask: Orla Ortiz, orla@example.org')).toBeInTheDocument();
    expect(inbox).not.toHaveTextContent('Questions about the campaign');
  });

  it('names nobody when it gives none', async () => {
    fake.campaigns.mockResolvedValue([aCampaign()]);
    renderApp('/c/c1');
    const inbox = await screen.findByRole('region', { name: 'Inbox' });
    await waitFor(() => expect(fake.campaigns).toHaveBeenCalled());
    expect(inbox).not.toHaveTextContent('Questions about the campaign');
  });
});
