import type { TeamConfig } from '#config/config.ts';
import type { Survey } from '../../scorecards/survey.schema.ts';
import type { SurveyResponseInput } from '../surveys/survey-intake.ts';
import type { DemoArchetype } from './demo-organization.ts';
import { SeededRandom } from './seeded-random.ts';

const DAY_MS = 86_400_000;

/**
 * How each archetype's developers feel (mean Likert answer per driver, 1–5) and where their hours go
 * (median hours per week per friction category), so the survey tells the same stories as the telemetry:
 * the unreliable pipeline hates builds and deploys, the team waiting on ops says so, the regressed team's
 * code review turned sour in the latest quarter.
 */
const BASE_MOOD = 3.4;
const MOODS: Record<DemoArchetype, Partial<Record<string, number>>> = {
  elite: { 'build-and-test': 4.4, 'deploy-process': 4.6, 'ease-of-release': 4.5, 'code-review': 4.1 },
  'unreliable-pipeline': { 'build-and-test': 2.0, 'deploy-process': 1.8, 'ease-of-release': 2.2 },
  regressed: { 'code-review': 3.8 },
  'waiting-on-ops': { 'ops-dependencies': 1.6, 'ease-of-release': 2.1, 'deploy-process': 2.6 },
  steady: {},
};
const HOURS: Record<DemoArchetype, Partial<Record<string, number>>> = {
  elite: { 'waiting-on-builds': 0.5 },
  'unreliable-pipeline': { 'waiting-on-builds': 5, 'broken-environments': 3 },
  regressed: { 'waiting-on-reviews': 4 },
  'waiting-on-ops': { 'waiting-on-ops': 6 },
  steady: {},
};
const SLOWDOWN_BY_DRIVER: Record<string, string> = {
  'build-and-test': 'builds',
  'code-review': 'reviews',
  environments: 'environments',
  documentation: 'documentation',
  'ops-dependencies': 'ops',
  'focus-time': 'meetings',
};
const COMMENTS = [
  'More time for deep work would help.',
  'Onboarding docs are out of date.',
  'CI is slow on Monday mornings.',
  'Staging is often broken.',
  'Reviews sometimes wait days.',
];

/**
 * Growth answers poorly (three people a round), so the demo has two teams below the anonymity threshold:
 * payments, a team of four, and growth. Together they are more than four responses, so the organisation's
 * figures minus the visible teams' reveal neither, and no other team needs withholding to protect them.
 */
const LOW_TURNOUT = { team: 'growth', respondents: 3 };

/**
 * The survey answers of one demo team for one round: most members answer (at least five where the team
 * has five, so a typical team is shown), except that a team of four can never reach the threshold, nor can
 * the low-turnout team. Answers are given as a form would send them; they go through the same validation
 * and storage as any other intake. Deterministic: the same seed, team and survey give the same answers.
 */
export function generateDemoSurveyResponses(
  team: TeamConfig,
  archetype: DemoArchetype,
  survey: Survey,
  options: { seed: number; until: Date; latestRound: boolean },
): SurveyResponseInput[] {
  const random = new SeededRandom(options.seed, `survey:${survey.id}:${team.slug}`);
  const firstDay = Date.parse(`${survey.opens}T00:00:00Z`);
  const lastDay = Math.min(Date.parse(`${survey.closes}T00:00:00Z`), options.until.getTime() - DAY_MS);
  if (lastDay < firstDay) return [];
  const members = team.members.length;
  const answering =
    team.slug === LOW_TURNOUT.team
      ? Math.min(members, LOW_TURNOUT.respondents)
      : Math.min(members, Math.max(5, Math.round(members * random.between(0.7, 1))));
  const mood = (driver: string) => {
    const base = MOODS[archetype][driver] ?? BASE_MOOD + random.between(-0.4, 0.4);
    // The regressed team's reviews went from fine to slow in the latest round, as its lead time did.
    return archetype === 'regressed' && driver === 'code-review' && options.latestRound ? 2.2 : base;
  };
  const moods = new Map<string, number>();
  const hoursMedian = (category: string) => HOURS[archetype][category] ?? 1.5;
  return Array.from({ length: answering }, () => {
    const answers: Record<string, unknown> = {};
    for (const question of survey.questions) {
      // Some choice questions are skipped: the statements and hours are always answered, so a team's
      // driver and category cells show whenever the team does.
      if (question.kind.endsWith('-choice') && random.chance(0.05)) continue;
      switch (question.kind) {
        case 'likert': {
          if (!moods.has(question.driver)) moods.set(question.driver, mood(question.driver));
          const value = Math.round(moods.get(question.driver)! + random.normal() * 0.9);
          answers[question.key] = Math.min(5, Math.max(1, value));
          break;
        }
        case 'hours':
          answers[question.key] = Math.min(
            40,
            Math.round(random.lognormal(hoursMedian(question.category), 0.6) * 2) / 2,
          );
          break;
        case 'single-choice': {
          const worst = [...moods.entries()].sort((a, b) => a[1] - b[1])[0]?.[0];
          const preferred = worst ? SLOWDOWN_BY_DRIVER[worst] : undefined;
          const options = question.options.map((option) => option.key);
          answers[question.key] =
            preferred && options.includes(preferred) && random.chance(0.6) ? preferred : random.pick(options);
          break;
        }
        case 'multiple-choice':
          answers[question.key] = question.options
            .filter(() => random.chance(0.35))
            .map((option) => option.key);
          break;
        case 'text':
          if (random.chance(0.3)) answers[question.key] = random.pick(COMMENTS);
          break;
      }
    }
    const day =
      firstDay + random.integer(0, Math.min(20, Math.floor((lastDay - firstDay) / DAY_MS))) * DAY_MS;
    return { team: team.slug, submittedAt: new Date(day).toISOString().slice(0, 10), answers };
  });
}
