import { useEffect, useState } from 'react';
import { fetchTeams } from './teams.api.ts';
import type { TeamSummary } from './teams.api.ts';

type State =
  { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ready'; teams: TeamSummary[] };

export function TeamsList() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useEffect(() => {
    const controller = new AbortController();
    fetchTeams(controller.signal)
      .then((teams) => setState({ kind: 'ready', teams }))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setState({ kind: 'error', message: String(error) });
      });
    return () => controller.abort();
  }, []);

  if (state.kind === 'loading') return <p aria-busy="true">Loading teams…</p>;
  if (state.kind === 'error') return <p role="alert">Could not load teams: {state.message}</p>;
  if (state.teams.length === 0) {
    return <p>No teams configured yet. Declare them in groundwork.yaml (see groundwork.example.yaml).</p>;
  }
  return (
    <table>
      <caption>{state.teams.length} teams</caption>
      <thead>
        <tr>
          <th scope="col">Team</th>
          <th scope="col">Repositories</th>
          <th scope="col">Services</th>
          <th scope="col">Members</th>
        </tr>
      </thead>
      <tbody>
        {state.teams.map((team) => (
          <tr key={team.slug}>
            <th scope="row">{team.name}</th>
            <td>{team.repositories.join(', ') || '—'}</td>
            <td>{team.services.join(', ') || '—'}</td>
            <td>{team.memberCount}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
