import { ApiView, Empty, VisuallyHidden } from '../../components/status.tsx';
import { formatInUnit, formatSample } from '../../lib/format.ts';
import { describePeriod } from '../../lib/period.ts';
import { useApi } from '../../lib/use-api.ts';
import { LevelBadge } from './level-badge.tsx';
import { teamScorecardsUrl } from './scorecards.api.ts';
import type { RuleResult, RuleStatus, TeamScorecard, TeamScorecards } from './scorecards.types.ts';

const OPERATORS: Record<string, string> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥' };

const STATUS: Record<RuleStatus, { icon: string; text: string }> = {
  pass: { icon: '✓', text: 'Passes' },
  fail: { icon: '✗', text: 'Fails' },
  unknown: { icon: '?', text: 'Unknown' },
};

function RuleLine({ rule }: { rule: RuleResult }) {
  const status = STATUS[rule.status];
  return (
    <li className={`rule rule-${rule.status}`}>
      <span className="rule-status">
        <span aria-hidden="true">{status.icon}</span> {status.text}
      </span>
      <span className="rule-text">
        <strong>{rule.label}</strong>: {formatInUnit(rule.value, rule.unit)}{' '}
        <span className="rule-need">
          (needs {OPERATORS[rule.op] ?? rule.op} {formatInUnit(rule.threshold, rule.unit)};{' '}
          {formatSample(rule.sampleSize, 'sample')})
        </span>
        {rule.reason ? <span className="rule-reason"> — {rule.reason}</span> : null}
        <span className="rule-description">{rule.description}</span>
      </span>
    </li>
  );
}

function History({ card }: { card: TeamScorecard }) {
  if (card.history.length === 0) return <p className="muted">No closed month evaluated yet.</p>;
  return (
    <ol className="history" aria-label="Level at the end of each closed month (UTC)">
      {card.history.map((point) => (
        <li key={point.month}>
          <span className="history-month">{describePeriod(point.month)}</span>
          <LevelBadge card={card} level={point.level} />
        </li>
      ))}
    </ol>
  );
}

function ScorecardView({ card }: { card: TeamScorecard }) {
  const next = card.levels.find((level) => level.id === card.nextLevel);
  return (
    <article className="scorecard" aria-labelledby={`scorecard-${card.id}`}>
      <header className="scorecard-header">
        <h3 id={`scorecard-${card.id}`}>{card.title}</h3>
        <LevelBadge card={card} level={card.level} />
      </header>
      {card.description ? <p className="muted">{card.description}</p> : null}
      <ol className="ladder" aria-label="Levels">
        {card.levels.map((level) => (
          <li key={level.id} className={level.passed ? 'ladder-step ladder-passed' : 'ladder-step'}>
            <span aria-hidden="true">{level.passed ? '✓' : '○'}</span> {level.title}
            <VisuallyHidden>
              {level.passed ? ': every rule passes' : ': not every rule passes'}
            </VisuallyHidden>
          </li>
        ))}
      </ol>
      {next ? (
        <>
          <h4>Missing for {next.title}</h4>
          {card.missingForNextLevel.length === 0 ? (
            <p className="muted">
              Nothing at {next.title} itself; a level below it is not met yet (see all rules).
            </p>
          ) : (
            <ul className="rules">
              {card.missingForNextLevel.map((rule) => (
                <RuleLine key={rule.metric + rule.op + rule.threshold} rule={rule} />
              ))}
            </ul>
          )}
        </>
      ) : (
        <p className="muted">Top level reached: every rule of every level passes.</p>
      )}
      <details>
        <summary>All rules, level by level</summary>
        {card.levels.map((level) => (
          <section key={level.id}>
            <h4>{level.title}</h4>
            <ul className="rules">
              {level.rules.map((rule) => (
                <RuleLine key={rule.metric + rule.op + rule.threshold} rule={rule} />
              ))}
            </ul>
          </section>
        ))}
      </details>
      <h4>Monthly history</h4>
      <History card={card} />
    </article>
  );
}

/** The team's level on every scorecard for the period, what is missing for the next, and the monthly history. */
export function ScorecardsPanel({ team, period }: { team: string; period: string }) {
  const state = useApi<TeamScorecards>(teamScorecardsUrl(team, period));
  return (
    <ApiView state={state} what="scorecards">
      {(data) =>
        data.scorecards.length === 0 ? (
          <Empty>
            No scorecards defined: add them to <code>scorecards/cards/*.yaml</code> (see
            scorecards/README.md).
          </Empty>
        ) : (
          <div className="scorecards">
            {data.scorecards.map((card) => (
              <ScorecardView key={card.id} card={card} />
            ))}
          </div>
        )
      }
    </ApiView>
  );
}
