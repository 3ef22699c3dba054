import { screen, waitFor, within } from '@testing-library/react';
import * as fake from '../../test/fakeBackend';
import { aCampaign, anAction, aStatus } from '../../test/fixtures';
import { renderApp } from '../../test/render';

function signedInAdmin() {
  fake.status.mockResolvedValue(aStatus());
  fake.campaigns.mockResolvedValue([aCampaign({ role: 'admin' })]);
  fake.actions.mockResolvedValue([anAction()]);
}

const result = (script: number, text: string, n: Partial<Record<string, number>> = {}, willVote = 0) => ({
  script,
  text,
  contacts: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  replies: 0,
  replyRate: 0,
  optOuts: 0,
  optOutRate: 0,
  reported: 0,
  tags: [{ key: 'will_vote', label: 'Will vote', count: willVote }],
  ...n,
});

const twoScripts = {
  actionId: 'a1',
  action: 'Get Out The Vote',
  actionType: 'p2p',
  scripts: [
    result(1, 'Hi {first_name}, will you vote?', { contacts: 600, sent: 500, delivered: 480, failed: 20, replies: 100, replyRate: 0.2, optOuts: 5, optOutRate: 0.01, reported: 60 }, 50),
    {
      ...result(2, 'Hello {first_name|friend}!', { contacts: 600, sent: 400, delivered: 400, replies: 120, replyRate: 0.3, optOuts: 8, optOutRate: 0.02, reported: 80 }, 60),
      // The server splits the script (backend/script): the app has no parser of its own.
      parts: [{ text: 'Hello ' }, { field: 'first_name', label: 'First name', fallback: 'friend' }, { text: '!' }],
    },
  ],
  total: result(0, '', { contacts: 1200, sent: 900, delivered: 880, failed: 20, replies: 220, replyRate: 220 / 900, optOuts: 13, optOutRate: 13 / 900, reported: 140 }, 110),
};

describe('Admin section: Results', () => {
  it('a choice field (Support) gets a table of its own: each choice, per script, a share of texts sent', async () => {
    signedInAdmin();
    const support = (strong: number, undecided: number) => [
      { key: 'will_vote', label: 'Will vote', count: 1 },
      { key: 'support', label: 'Support', choice: 'Strong Supporter', count: strong },
      { key: 'support', label: 'Support', choice: 'Undecided', count: undecided },
    ];
    fake.adminResults.mockResolvedValue({
      actions: [
        {
          ...twoScripts,
          scripts: [{ ...twoScripts.scripts[0], tags: support(10, 5) }, { ...twoScripts.scripts[1], tags: support(20, 0) }],
          total: { ...twoScripts.total, tags: support(30, 5) },
        },
      ],
    });
    renderApp('/c/c1/admin');
    const section = await screen.findByRole('region', { name: 'Results' });
    const reports = await within(section).findByRole('table', { name: 'What the reports say' });
    expect(within(reports).getAllByRole('row')[0]).toHaveTextContent(/^ScriptReportedWill vote$/);
    const choice = within(section).getByRole('table', { name: 'Support' });
    expect(within(choice).getAllByRole('row').map((r) => r.textContent)).toEqual([
      'ScriptStrong SupporterUndecided',
      'Script 110 (2.0%)5 (1.0%)',
      'Script 220 (5.0%)0 (0.0%)',
      'All scripts30 (3.3%)5 (0.6%)',
    ]);
  });

  it('a text question counts those that answered it; a number adds up the latest answers', async () => {
    signedInAdmin();
    const tags = (answered: number, voters: number, sum: number) => [
      { key: 'will_vote', label: 'Will vote', count: 1 },
      { key: 'household', label: 'Voters in household', kind: 'number', count: voters, sum },
      { key: 'best_time', label: 'Best time to call', kind: 'text', count: answered },
    ];
    fake.adminResults.mockResolvedValue({
      actions: [
        {
          ...twoScripts,
          scripts: [{ ...twoScripts.scripts[0], tags: tags(10, 40, 96) }, { ...twoScripts.scripts[1], tags: tags(4, 0, 0) }],
          total: { ...twoScripts.total, tags: tags(14, 40, 96) },
        },
      ],
    });
    renderApp('/c/c1/admin');
    const section = await screen.findByRole('region', { name: 'Results' });
    const reports = await within(section).findByRole('table', { name: 'What the reports say' });
    expect(within(reports).getAllByRole('row').map((r) => r.textContent)).toEqual([
      'ScriptReportedWill voteVoters in household: sumBest time to call: answered',
      'Script 1601 (0.2%)96 (40 answered)10 (2.0%)',
      'Script 2801 (0.3%)0 (0 answered)4 (1.0%)',
      'All scripts1401 (0.1%)96 (40 answered)14 (1.6%)',
    ]);
  });

  it("shows each action's results per script, beside its total, and counts again on Refresh", async () => {
    signedInAdmin();
    fake.adminResults.mockResolvedValue({
      actions: [twoScripts, { actionId: 'a2', action: 'Volunteer Team Check-In', actionType: 'team', scripts: [result(1, 'Hi team')], total: result(0, '') }],
    });
    const { user } = renderApp('/c/c1/admin');
    const section = await screen.findByRole('region', { name: 'Results' });
    const table = await within(section).findByRole('table', { name: 'Get Out The Vote Peer-to-Peer' });
    const rows = within(table).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      'ScriptContactsSentDeliveredFailedRepliesOpt-outs',
      'Script 160050048020100 (20.0%)5 (1.0%)',
      'Text of Script 1: Hi {first_name}, will you vote?',
      'Script 26004004000120 (30.0%)8 (2.0%)',
      'Text of Script 2: Hello First name or friend!',
      'All scripts1,20090088020220 (24.4%)13 (1.4%)',
    ]);
    // What the reports say is compared too, under it: reported, and each tag (a share of texts sent).
    const reports = within(table.parentElement!).getByRole('table', { name: 'What the reports say' });
    expect(within(reports).getAllByRole('row').map((r) => r.textContent)).toEqual([
      'ScriptReportedWill vote',
      'Script 16050 (10.0%)',
      'Script 28060 (15.0%)',
      'All scripts140110 (12.2%)',
    ]);
    expect(within(table).getByRole('rowheader', { name: /^Script 2/ })).toBeInTheDocument();
    // An action without contacts (a Team chat) says so rather than a row of zeros, and promises no contacts to come.
    expect(within(section).getByRole('heading', { name: 'Volunteer Team Check-In Team chat', level: 3 })).toBeInTheDocument();
    expect(within(section).getByText('This action has no contacts: nothing to count.')).toBeInTheDocument();
    expect(fake.adminResults).toHaveBeenCalledWith('c1');

    const calls = fake.adminResults.mock.calls.length;
    fake.adminResults.mockResolvedValue({ actions: [{ ...twoScripts, total: { ...twoScripts.total, sent: 950 } }] });
    await user.click(within(section).getByRole('button', { name: 'Refresh' }));
    expect(fake.adminResults.mock.calls.length).toBe(calls + 1);
    await waitFor(() => expect(within(section).getAllByRole('row', { name: /^All scripts/ })[0]).toHaveTextContent('1,200950'));
  });

  it('one script is "The script", with no total row; the index goes to the section', async () => {
    signedInAdmin();
    fake.adminResults.mockResolvedValue({
      actions: [{ ...twoScripts, scripts: [twoScripts.scripts[0]], total: { ...twoScripts.scripts[0], script: 0, text: '' } }],
    });
    const { user } = renderApp('/c/c1/admin');
    const table = await screen.findByRole('table', { name: 'Get Out The Vote Peer-to-Peer' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByRole('rowheader', { name: /^The script/ })).toBeInTheDocument();
    // Its words' row names it mid-sentence, as "Script 2" is named among several.
    expect(within(table).getByRole('rowheader', { name: /^Text of the script: Hi/ })).toBeInTheDocument();
    await user.click(within(screen.getByRole('navigation', { name: 'Admin sections' })).getByRole('button', { name: 'Results' }));
    expect(screen.getByRole('heading', { name: 'Results', level: 2 })).toHaveFocus();
  });

  it('a script the campaign file dropped keeps its row, said so, and the note says what Failed and Opt-outs count', async () => {
    signedInAdmin();
    const [kept] = twoScripts.scripts;
    fake.adminResults.mockResolvedValue({
      actions: [{ ...twoScripts, scripts: [kept, { ...result(2, '', { contacts: 40, sent: 40 }), dropped: true }] }],
    });
    renderApp('/c/c1/admin');
    const section = await screen.findByRole('region', { name: 'Results' });
    const table = await within(section).findByRole('table', { name: 'Get Out The Vote Peer-to-Peer' });
    expect(within(table).getByRole('row', { name: /^Script 2/ })).toHaveTextContent('Script 24040');
    expect(within(table).getByRole('rowheader', { name: 'Text of Script 2: No longer in the action' })).toBeInTheDocument();
    const note = within(section).getByText(/Failed, those that never reached the phone/);
    expect(note).toHaveTextContent(
      'including any held back because the number opted out first; Opt-outs, the numbers texted that are opted out of your organization now, in whichever campaign they asked. Under them, what the reports say: the conversations with a report, and for each tag, the conversations whose reports say it now; for each choice of a question, those whose latest answer it is; for a question answered in words, those that answered it; for a number, the latest answers added up. The rates are of texts sent.',
    );
  });

  it('the figures come first: what they count is one line to open, under the time of the count', async () => {
    signedInAdmin();
    fake.adminResults.mockResolvedValue({ actions: [twoScripts] });
    const { user } = renderApp('/c/c1/admin');
    const section = await screen.findByRole('region', { name: 'Results' });
    const table = await within(section).findByRole('table', { name: 'Get Out The Vote Peer-to-Peer' });
    const note = within(section).getByText(/^Sent counts the first texts the SMS provider took/);
    expect(note).not.toBeVisible();
    expect(within(section).getByText(/^Counted at /)).toBeVisible();
    expect(table).toBeVisible();
    const open = within(section).getByText('What these figures count', { selector: 'summary' });
    // A native <details>: its summary is a Tab stop that Enter and Space open (jsdom models the click only).
    expect(open.closest('details')).not.toHaveAttribute('open');
    await user.click(open);
    expect(note).toBeVisible();
  });

  it("a script's merge fields show in words, each one unit, its fallback with it; the text as it is from a server that sends no parts", async () => {
    signedInAdmin();
    fake.adminResults.mockResolvedValue({ actions: [twoScripts] });
    renderApp('/c/c1/admin');
    const table = await screen.findByRole('table', { name: 'Get Out The Vote Peer-to-Peer' });
    // Under each script's figures, its words in a row of their own, the table's width.
    const rows = within(table).getAllByRole('row');
    expect(rows[3]).toHaveTextContent(/^Script 2/);
    const second = rows[4];
    expect(second).toHaveTextContent(/^Text of Script 2: Hello First name or friend!$/);
    expect(second).not.toHaveTextContent('{');
    // Its one cell is the row's header, naming whose words they are (a plain cell was named under Script alone).
    expect(within(second).queryByRole('cell')).not.toBeInTheDocument();
    expect(within(second).getByRole('rowheader', { name: /^Text of Script 2: Hello First name\s*or friend!$/ })).toHaveAttribute('colspan', '7');
    // One element holds the whole field, the unit that never breaks (results.css .merge-field).
    expect(within(second).getByText('First name', { exact: false, selector: '.merge-field' })).toHaveTextContent(/^First name or friend$/);
    expect(rows[2]).toHaveTextContent(/^Text of Script 1: Hi \{first_name\}, will you vote\?$/);
  });

  it('a script with no text sent shows no rate (the server says none): 0.0% read as texts nobody answered', async () => {
    signedInAdmin();
    const unsent = { ...result(2, 'Hello {first_name|friend}!', { contacts: 40 }), replyRate: null, optOutRate: null };
    fake.adminResults.mockResolvedValue({ actions: [{ ...twoScripts, scripts: [twoScripts.scripts[0], unsent] }] });
    renderApp('/c/c1/admin');
    const table = await screen.findByRole('table', { name: 'Get Out The Vote Peer-to-Peer' });
    const row = within(table).getByRole('row', { name: /^Script 2/ });
    expect(row).toHaveTextContent(/40\s*0\s*0\s*0\s*0\s*0$/);
    expect(row).not.toHaveTextContent('%');
    expect(within(table).getByRole('row', { name: /^Script 1/ })).toHaveTextContent('100 (20.0%)5 (1.0%)');
    // Nor a share of its reports' answers: 0 (0.0%) would read as reports that said no.
    const reports = within(table.parentElement!).getByRole('table', { name: 'What the reports say' });
    expect(within(reports).getAllByRole('row').map((r) => r.textContent)).toEqual([
      'ScriptReportedWill vote',
      'Script 16050 (10.0%)',
      'Script 200',
      'All scripts140110 (12.2%)',
    ]);
  });

  it("says why when the results cannot be counted, and what a campaign without actions has", async () => {
    signedInAdmin();
    fake.adminResults.mockRejectedValueOnce('Cannot reach the campaign server. Check your connection.');
    const { user } = renderApp('/c/c1/admin');
    const section = await screen.findByRole('region', { name: 'Results' });
    expect(await within(section).findByRole('alert')).toHaveTextContent('Cannot reach the campaign server');
    fake.adminResults.mockResolvedValue({ actions: [] });
    await user.click(within(section).getByRole('button', { name: 'Refresh' }));
    expect(await within(section).findByText('This campaign has no actions yet.')).toBeInTheDocument();
    expect(within(section).queryByRole('alert')).not.toBeInTheDocument();
  });
});
