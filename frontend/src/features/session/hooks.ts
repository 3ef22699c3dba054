import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { minPassword, signIn, signOut, signUp, status, type Status, type User } from '../../backend';
import { keys } from '../../lib/queryKeys';

export function useStatus() {
  return useQuery({ queryKey: keys.status, queryFn: status });
}

/**
 * What a new password needs, said before it is typed (sign-up, and Settings' new password): the server refuses
 * one shorter than Go's minimum (backend/account), one on its list of common passwords, and one holding the email
 * address's part before the @ (backend/server/passwords.go, whose refusals name the rule broken). None until Go
 * answers with the length.
 */
export function usePasswordHint(): string | undefined {
  const min = useQuery({ queryKey: keys.minPassword, queryFn: minPassword, staleTime: Infinity }).data;
  return min ? `At least ${min} characters, not a common password, and without the part of your email before the @.` : undefined;
}

/** After signing in or up: forget the signed-out state and let the start route decide. */
function useEnter() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return (user: User) => {
    // Someone else than the one whose sign-in ended (the Go side has deleted
    // that one's cache): what the window read for them goes too, or their
    // conversations showed to the next volunteer until read again. The same
    // person keeps it, as they keep their inbox.
    const before = qc.getQueryData<Status>(keys.status)?.user?.id;
    if (before && before !== user.id) qc.removeQueries({ predicate: (q) => q.getObserversCount() === 0 });
    // Dropped, not invalidated: the start route must not decide on the
    // signed-out answers while fresh ones are on their way.
    qc.removeQueries({ queryKey: keys.status });
    qc.removeQueries({ queryKey: keys.campaigns });
    navigate('/', { replace: true });
  };
}

export function useSignIn() {
  const enter = useEnter();
  return useMutation({
    mutationFn: (v: { email: string; password: string }) => signIn(v.email, v.password),
    onSuccess: enter,
  });
}

export function useSignUp() {
  const enter = useEnter();
  return useMutation({
    mutationFn: (v: { name: string; email: string; password: string }) => signUp(v.name, v.email, v.password),
    onSuccess: enter,
  });
}

export function useSignOut() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => signOut(),
    onSuccess: async () => {
      // Nothing of the previous volunteer may show to the next one. Go to
      // sign in by name (navigating to where the window already is does not
      // move it), then forget: queries no screen reads are removed; those
      // still read (the sign-in screen's, or a screen on its way out) are
      // reset, so their screens are told and read the signed-out answers.
      // Removing those too left a screen caught mid-way (Start about to go
      // to sign in when its status query went) blank, told of nothing.
      await navigate('/signin', { replace: true });
      qc.removeQueries({ predicate: (q) => q.getObserversCount() === 0 });
      await qc.resetQueries();
    },
  });
}

const campaignKey = 'textbank.campaign';

export function rememberedCampaign(): string | null {
  try {
    return localStorage.getItem(campaignKey);
  } catch {
    return null;
  }
}

export function rememberCampaign(id: string) {
  try {
    localStorage.setItem(campaignKey, id);
  } catch {
    // a window without storage just starts on the first campaign
  }
}
