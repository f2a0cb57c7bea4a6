import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { api, post, setCsrfToken, setSignedOutHandler } from './api/client';
import type { Session } from './api/types';

interface SessionState {
  session: Session | null | undefined;
  signIn: (credentials: { username: string; password: string } | { api_key: string }) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

/** Who is signed in: asked from the gateway at load (the cookie is HttpOnly, so script cannot read it). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const accept = useCallback((next: Session | null) => {
    setCsrfToken(next?.csrf_token ?? '');
    setSession(next);
  }, []);
  useEffect(() => {
    setSignedOutHandler(() => accept(null));
    api<Session>('/ui/api/session').then(accept, () => accept(null));
  }, [accept]);
  const signIn = async (credentials: { username: string; password: string } | { api_key: string }) => {
    accept(await post<Session>('/v2/login', credentials));
  };
  const signOut = async () => {
    await post('/ui/api/logout', {}).catch(() => undefined);
    accept(null);
  };
  return <SessionContext.Provider value={{ session, signIn, signOut }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}

/** The signed-in session (pages render only when there is one). */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('not signed in');
  return session;
}
