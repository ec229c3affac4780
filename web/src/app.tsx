import { TeamsList } from './features/teams/teams-list.tsx';

export function App() {
  return (
    <>
      <header>
        <h1>Groundwork</h1>
        <p>
          Where developers lose time, per team: delivery metrics, waits on other teams and survey results.
        </p>
      </header>
      <main>
        <h2>Teams</h2>
        <TeamsList />
      </main>
      <footer>
        <a href="/docs">API documentation</a>
      </footer>
    </>
  );
}
