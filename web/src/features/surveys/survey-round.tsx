import type { ApiState } from '../../lib/use-api.ts';
import type { SurveyList } from './surveys.types.ts';

export type PeriodRound = NonNullable<SurveyList['forPeriod']>;

/**
 * The sentence every survey panel carries: which round it shows for the chosen period and why, or that no
 * round overlaps it. The server decides (GET /api/v1/surveys?period=); this only prints it.
 */
export function SurveyRoundNote({ state }: { state: ApiState<SurveyList> }) {
  if (state.status !== 'ready') return null;
  const round = state.data.forPeriod;
  if (!round) return null;
  return (
    <p className="survey-round">
      <strong>Survey round:</strong> {round.reason}
    </p>
  );
}
