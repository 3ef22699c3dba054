import { act, screen, waitFor } from '@testing-library/react';
import { Join } from './Join';
import * as fake from '../../test/fakeBackend';
import { aCampaign } from '../../test/fixtures';
import { renderScreen } from '../../test/render';
import stylesCss from '../../styles.css?raw';

function setup() {
  const onJoined = vi.fn();
  const r = renderScreen(<Join onJoined={onJoined} />);
  return { ...r, onJoined };
}

describe('Join', () => {
  it('the code field is numeric, with no pattern of its own: Go (joincode) says what a code is', () => {
    setup();
    const code = screen.getByLabelText('Join code');
    expect(code).toHaveAttribute('inputmode', 'numeric');
    // A pattern here would be a second copy of the rule, and would call "123 456" invalid, which Go takes.
    expect(code).not.toHaveAttribute('pattern');
  });

  it('a code pasted as people write it ("123 456", "123-456") is taken whole', async () => {
    fake.checkJoinCode.mockResolvedValue('');
    fake.joinCampaign.mockResolvedValue(aCampaign());
    const { user } = setup();
    const box = screen.getByLabelText('Join code');
    await user.click(box);
    await user.paste('123 456');
    expect(box).toHaveValue('123456');
    await user.clear(box);
    await user.paste('123-456');
    expect(box).toHaveValue('123456');
    await user.click(screen.getByRole('button', { name: 'Join' }));
    expect(fake.joinCampaign).toHaveBeenCalledWith('123456');
  });

  it('joins with the right code and moves on', async () => {
    const demo = aCampaign();
    fake.joinCampaign.mockResolvedValue(demo);
    const { user, onJoined } = setup();
    await user.type(screen.getByLabelText('Join code'), '123456');
    await user.click(screen.getByRole('button', { name: 'Join' }));
    expect(fake.joinCampaign).toHaveBeenCalledWith('123456');
    await waitFor(() => expect(onJoined).toHaveBeenCalledWith(demo));
  });

  // Join another campaign with the code of one the volunteer is in: the server answers it as a join.
  it('says so when the code is for a campaign the volunteer is already in, and opens it on request', async () => {
    const demo = aCampaign();
    fake.campaigns.mockResolvedValue([demo]);
    fake.joinCampaign.mockResolvedValue(demo);
    const { user, onJoined } = setup();
    await user.type(screen.getByLabelText('Join code'), '123456');
    await user.click(screen.getByRole('button', { name: 'Join' }));
    expect(await alreadyIn()).toHaveTextContent('You are already in Demo for Democracy.');
    expect(onJoined).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Open Demo for Democracy' }));
    expect(onJoined).toHaveBeenCalledWith(demo);
  });

  // Seen at 1280x800: the button took a line of its own under the words, as in no other form of the app.
  it("the already-in words hold their Open button on their line, with the app's sheet loaded", async () => {
    const sheet = document.createElement('style');
    sheet.textContent = stylesCss;
    document.head.append(sheet);
    try {
      const demo = aCampaign();
      fake.campaigns.mockResolvedValue([demo]);
      fake.joinCampaign.mockResolvedValue(demo);
      const { user } = setup();
      await user.type(screen.getByLabelText('Join code'), '123456');
      await user.click(screen.getByRole('button', { name: 'Join' }));
      const status = await alreadyIn();
      expect(getComputedStyle(status).display).toBe('flex');
      expect(getComputedStyle(status).alignItems).toBe('center');
      // The words wrap first; the button keeps its size beside them.
      const open = screen.getByRole('button', { name: 'Open Demo for Democracy' });
      expect(getComputedStyle(open).flexShrink).toBe('0');
      // The words name the campaign once: the button says Open, and fits beside them.
      expect(open).toHaveTextContent(/^Open$/);
    } finally {
      sheet.remove();
    }
  });

  it('a new campaign opens at once, with no word of having been in it', async () => {
    fake.campaigns.mockResolvedValue([aCampaign({ id: 'c0', name: 'School Board' })]);
    const demo = aCampaign();
    fake.joinCampaign.mockResolvedValue(demo);
    const { user, onJoined } = setup();
    await user.type(screen.getByLabelText('Join code'), '123456{Enter}');
    await waitFor(() => expect(onJoined).toHaveBeenCalledWith(demo));
    expect(screen.queryByText(/already in/)).not.toBeInTheDocument();
  });

  it('says the server is busy and Textbank is trying again while Go asks a busy server again', async () => {
    const demo = aCampaign();
    let finish: (c: typeof demo) => void = () => {};
    fake.joinCampaign.mockImplementation(() => new Promise((resolve) => (finish = resolve)));
    const { user, onJoined } = setup();
    await user.type(screen.getByLabelText('Join code'), '123456');
    await user.click(screen.getByRole('button', { name: 'Join' }));
    await waitFor(() => expect(fake.joinCampaign).toHaveBeenCalled());
    act(() => fake.emit('server:busy-retry', { call: 'join', key: '', seconds: 2 }));
    expect(await screen.findByText('Server busy, trying again…')).toBeInTheDocument();
    act(() => finish(demo));
    await waitFor(() => expect(onJoined).toHaveBeenCalledWith(demo));
    expect(screen.queryByText('Server busy, trying again…')).not.toBeInTheDocument();
  });

  it('shows the server message for a wrong code', async () => {
    fake.joinCampaign.mockRejectedValue('No active campaign has join code 999999. Check the code with your organizer, or search for the campaign by name');
    const { user, onJoined } = setup();
    await user.type(screen.getByLabelText('Join code'), '999999{Enter}');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'No active campaign has join code 999999. Check the code with your organizer, or search for the campaign by name.',
    );
    expect(onJoined).not.toHaveBeenCalled();
  });

  // The rule is Go's (backend/joincode, tested there); here, that the box
  // asks it with what was typed and says its answer, asking no server.
  it.each([
    { name: 'empty', typed: '', problem: 'enter the join code your campaign gave you: 6 digits, like 123456' },
    { name: 'too short', typed: '123', problem: 'join code must be exactly 6 digits, like 123456; "123" has 3 characters' },
  ])('refuses a malformed code ($name) without asking the server', async ({ typed, problem }) => {
    fake.checkJoinCode.mockResolvedValue(problem);
    const { user } = setup();
    if (typed) await user.type(screen.getByLabelText('Join code'), typed);
    await user.click(screen.getByRole('button', { name: 'Join' }));
    expect(fake.checkJoinCode).toHaveBeenCalledWith(typed);
    expect(await screen.findByRole('alert')).toHaveTextContent(problem.charAt(0).toUpperCase() + problem.slice(1) + '.');
    expect(fake.joinCampaign).not.toHaveBeenCalled();
  });

  it('finds campaigns by search and joins one', async () => {
    const demo = aCampaign({ role: undefined });
    fake.searchCampaigns.mockResolvedValue([demo, aCampaign({ id: 'c2', name: 'Clean Water Now' })]);
    fake.joinCampaignByID.mockResolvedValue(demo);
    const { user, onJoined } = setup();
    await user.type(screen.getByLabelText('Search campaigns'), 'demo');
    await user.click(await screen.findByRole('button', { name: 'Join Demo for Democracy' }));
    expect(fake.searchCampaigns).toHaveBeenLastCalledWith('demo');
    expect(fake.joinCampaignByID).toHaveBeenCalledWith('c1');
    await waitFor(() => expect(onJoined).toHaveBeenCalledWith(demo));
  });

  // A public campaign takes so many volunteers an hour through search (each is handed contacts to anyone who
  // signs up); past it, the server's words say to ask for the join code, which the box above still takes.
  it("shows the server's refusal of a join through search, pointing to the join code", async () => {
    const open = aCampaign({ id: 'c4', name: 'Open Doors', joinCode: '', role: undefined });
    const refusal =
      'Open Doors takes 20 new volunteers an hour through search, and that many joined in the last hour: ask its organizers for the join code, or try again in 12 minutes';
    fake.searchCampaigns.mockResolvedValue([open]);
    fake.joinCampaignByID.mockRejectedValue(refusal);
    const { user, onJoined } = setup();
    await user.type(screen.getByLabelText('Search campaigns'), 'open');
    await user.click(await screen.findByRole('button', { name: 'Join Open Doors' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(refusal + '.');
    expect(screen.getByLabelText('Join code')).toBeInTheDocument();
    expect(onJoined).not.toHaveBeenCalled();
  });

  // The server finds a private campaign when its code is typed, but lets one
  // be joined by id only when it is public: such a result joins by the code.
  it('joins a private campaign found by its code with that code', async () => {
    const secret = aCampaign({ id: 'c9', name: 'Quiet Canvass', public: false, joinCode: '654321', role: undefined });
    fake.searchCampaigns.mockResolvedValue([secret]);
    fake.joinCampaign.mockResolvedValue(secret);
    fake.joinCampaignByID.mockRejectedValue('No public campaign has id c9; ask the organizer for the join code');
    const { user, onJoined } = setup();
    await user.type(screen.getByLabelText('Search campaigns'), ' 654321 ');
    await user.click(await screen.findByRole('button', { name: 'Join Quiet Canvass' }));
    expect(fake.searchCampaigns).toHaveBeenLastCalledWith('654321');
    expect(fake.joinCampaign).toHaveBeenCalledWith('654321');
    expect(fake.joinCampaignByID).not.toHaveBeenCalled();
    await waitFor(() => expect(onJoined).toHaveBeenCalledWith(secret));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('joins by id a campaign the code search found by its name', async () => {
    const named = aCampaign({ id: 'c3', name: 'Team 654321', joinCode: '111222', role: undefined });
    fake.searchCampaigns.mockResolvedValue([named]);
    fake.joinCampaignByID.mockResolvedValue(named);
    const { user } = setup();
    await user.type(screen.getByLabelText('Search campaigns'), '654321');
    await user.click(await screen.findByRole('button', { name: 'Join Team 654321' }));
    expect(fake.joinCampaignByID).toHaveBeenCalledWith('c3');
    expect(fake.joinCampaign).not.toHaveBeenCalled();
  });

  // A campaign the volunteer is already in is not joined again: it is opened, and says so.
  it('a campaign found that the volunteer already belongs to offers Open, not Join', async () => {
    const mine = aCampaign({ role: 'volunteer' });
    fake.searchCampaigns.mockResolvedValue([mine]);
    const { user, onJoined } = setup();
    await user.type(screen.getByLabelText('Search campaigns'), 'demo');
    await user.click(await screen.findByRole('button', { name: 'Open Demo for Democracy' }));
    expect(screen.queryByRole('button', { name: 'Join Demo for Democracy' })).not.toBeInTheDocument();
    expect(fake.joinCampaignByID).not.toHaveBeenCalled();
    expect(fake.joinCampaign).not.toHaveBeenCalled();
    expect(onJoined).toHaveBeenCalledWith(mine);
  });

  it('says when the search finds nothing', async () => {
    const { user } = setup();
    await user.type(screen.getByLabelText('Search campaigns'), 'zzz');
    expect(await screen.findByText('No campaign matches "zzz".')).toBeInTheDocument();
  });

  // The results appear below the field, unheard by a screen reader unless a status says them: the
  // same region, there before the search, says how many were found.
  it('says how many campaigns the search found, in the status there before it', async () => {
    fake.searchCampaigns.mockResolvedValue([aCampaign({ id: 'c1', role: undefined }), aCampaign({ id: 'c2', name: 'Clean Water Now', role: undefined })]);
    const { user } = setup();
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent(/^$/);
    await user.type(screen.getByLabelText('Search campaigns'), 'demo');
    await waitFor(() => expect(status).toHaveTextContent('2 campaigns found.'));
    expect(screen.getByRole('list', { name: 'Campaigns found' })).toBeInTheDocument();
  });
});

describe('Join in demo mode', () => {
  it('tells a newcomer the demo code', () => {
    renderScreen(<Join onJoined={vi.fn()} demoCode="123456" />);
    expect(screen.getByText(/In this demo, it is 123456/)).toBeInTheDocument();
  });
});

/** The status saying the code is for a campaign the volunteer is in (the search's own status is there too). */
async function alreadyIn(): Promise<HTMLElement> {
  return waitFor(() => {
    const found = screen.getAllByRole('status').find((el) => el.textContent?.includes('You are already in'));
    if (!found) throw new Error('no status says "You are already in"');
    return found;
  });
}
