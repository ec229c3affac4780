import { useState } from 'react';
import type { FormEvent } from 'react';
import { PageHeading } from '../../components/page-heading.tsx';
import { ApiError, sendJson } from '../../lib/api-client.ts';
import type { Session } from './session.ts';

/** Shown instead of any page while nobody is signed in (auth modes token, oidc and proxy). */
export function SignInPage({ session }: { session: Session }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    try {
      await sendJson('POST', '/auth/token', { token });
      window.location.reload();
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : String(error));
    }
  }

  return (
    <section className="sign-in">
      <PageHeading>Sign in</PageHeading>
      {session.mode === 'oidc' && (
        <p>
          <a className="button" href="/auth/oidc/login">
            Sign in with your organisation
          </a>
        </p>
      )}
      {session.mode === 'proxy' && <p>Open Groundwork through your organisation’s sign-in proxy.</p>}
      {session.mode !== 'proxy' && (
        <form onSubmit={(event) => void signIn(event)}>
          <label htmlFor="access-token">Access token</label>
          <input
            id="access-token"
            type="password"
            autoComplete="off"
            value={token}
            onChange={(event) => setToken(event.target.value)}
            required
          />
          <button type="submit">Sign in with a token</button>
          <p className="hint">
            An admin creates read tokens under Access, or with “groundwork token create --scope read”.
          </p>
          {problem && (
            <p className="status status-error" role="alert">
              {problem}
            </p>
          )}
        </form>
      )}
    </section>
  );
}

/** Who is signed in, and a sign-out button; nothing in open mode. */
export function SessionBadge({ session }: { session: Session }) {
  if (session.mode === 'open' || !session.signedIn) return null;
  return (
    <span className="session-badge">
      {session.subject} ({session.role})
      <button
        type="button"
        onClick={() => {
          void sendJson('POST', '/auth/sign-out').then(() => window.location.assign('/'));
        }}
      >
        Sign out
      </button>
    </span>
  );
}
