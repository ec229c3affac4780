import { useState } from 'react';
import type { FormEvent } from 'react';
import { PageHeading } from '../../components/page-heading.tsx';
import { ApiView } from '../../components/status.tsx';
import { ApiError, sendJson } from '../../lib/api-client.ts';
import { useApi } from '../../lib/use-api.ts';

interface Token {
  name: string;
  scope: string;
  team: string | null;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  address: string | null;
}

const day = (at: string | null) => (at ? at.slice(0, 16).replace('T', ' ') : '–');

/** Admins: API tokens (create, revoke — no restart needed) and the audit log. */
export default function AccessPage() {
  const [version, setVersion] = useState(0);
  const tokens = useApi<{ tokens: Token[] }>(`/api/v1/tokens?v=${version}`);
  const audit = useApi<{ entries: AuditEntry[] }>(`/api/v1/audit-log?limit=50&v=${version}`);
  const [form, setForm] = useState({ name: '', scope: 'read', team: '', expiresInDays: '90' });
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    try {
      const result = await sendJson<{ name: string; token: string }>('POST', '/api/v1/tokens', {
        name: form.name,
        scope: form.scope,
        ...(form.team ? { team: form.team } : {}),
        ...(form.expiresInDays ? { expiresInDays: Number(form.expiresInDays) } : {}),
      });
      setCreated(result);
      setVersion((v) => v + 1);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : String(error));
    }
  }

  async function revoke(name: string) {
    await sendJson('DELETE', `/api/v1/tokens/${encodeURIComponent(name)}`);
    setVersion((v) => v + 1);
  }

  return (
    <>
      <PageHeading>Access</PageHeading>
      <h2>Tokens</h2>
      <ApiView state={tokens} what="the tokens">
        {(data) => (
          <table className="access-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scope</th>
                <th scope="col">Team</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Revoked</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.tokens.map((token) => (
                <tr key={token.name}>
                  <td>{token.name}</td>
                  <td>{token.scope}</td>
                  <td>{token.team ?? '–'}</td>
                  <td>{day(token.expiresAt)}</td>
                  <td>{day(token.lastUsedAt)}</td>
                  <td>{day(token.revokedAt)}</td>
                  <td>
                    {!token.revokedAt && (
                      <button type="button" onClick={() => void revoke(token.name)}>
                        Revoke {token.name}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ApiView>
      <form className="token-form" onSubmit={(event) => void create(event)}>
        <h3>New token</h3>
        <label htmlFor="token-name">Name</label>
        <input
          id="token-name"
          value={form.name}
          onChange={(e) => setForm({ ...form, name: e.target.value })}
          required
        />
        <label htmlFor="token-scope">Scope</label>
        <select
          id="token-scope"
          value={form.scope}
          onChange={(e) => setForm({ ...form, scope: e.target.value })}
        >
          <option value="read">read</option>
          <option value="ingest">ingest</option>
          <option value="admin">admin</option>
        </select>
        <label htmlFor="token-team">Team lead of (read only, optional)</label>
        <input
          id="token-team"
          value={form.team}
          onChange={(e) => setForm({ ...form, team: e.target.value })}
        />
        <label htmlFor="token-expires">Expires in days</label>
        <input
          id="token-expires"
          inputMode="numeric"
          value={form.expiresInDays}
          onChange={(e) => setForm({ ...form, expiresInDays: e.target.value })}
        />
        <button type="submit">Create token</button>
        {problem && (
          <p className="status status-error" role="alert">
            {problem}
          </p>
        )}
        {created && (
          <p className="status" role="status">
            Token “{created.name}”, shown once: <code className="new-token">{created.token}</code>
          </p>
        )}
      </form>
      <h2>Audit log</h2>
      <ApiView state={audit} what="the audit log">
        {(data) => (
          <table className="access-table">
            <thead>
              <tr>
                <th scope="col">When (UTC)</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Target</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {data.entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{day(entry.at)}</td>
                  <td>{entry.actor}</td>
                  <td>{entry.action}</td>
                  <td>{entry.target ?? '–'}</td>
                  <td>{entry.address ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ApiView>
    </>
  );
}
