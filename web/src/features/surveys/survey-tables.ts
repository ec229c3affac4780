import type { SurveyResultsByTeam } from './surveys.types.ts';

/**
 * The API's results as tables: a team × driver heatmap of % favourable, and team × category hours lost.
 * Only re-arranges and words what the server computed; a cell the server withheld stays withheld, with
 * its reason, and nothing here works out a figure it did not send.
 */

/** Five steps of favourability; the text always carries the number, so colour is never the only cue. */
export type Shade = 'very-low' | 'low' | 'middle' | 'high' | 'very-high';

export type HeatmapCell =
  | {
      kind: 'figure';
      favourablePercent: number;
      respondents: number;
      shade: Shade;
      /** Against the previous round, in percentage points ("+5.2 pts"); null when there is none. */
      change: string | null;
      /** The mean answer, 1 to 5. */
      meanScore: number;
      /** The server's 95% interval of the share, "30–93 %". */
      interval: string;
      /** Fewer than 10 respondents (the server's flag): the cell shows its interval and a marker. */
      few: boolean;
      label: string;
    }
  | { kind: 'suppressed'; reason: string; label: string };

export type HoursCell =
  | {
      kind: 'figure';
      meanHoursPerWeek: number;
      /** The 95% interval of the mean, "1.4–2.8". */
      interval: string;
      respondents: number;
      few: boolean;
      label: string;
    }
  | { kind: 'suppressed'; reason: string; label: string };

export interface SurveyTableRow<Cell> {
  /** `(organization)` for the organisation row. */
  slug: string;
  name: string;
  /** "7 of 9 members (77.8%)", or why the group is withheld. */
  responses: string;
  cells: Cell[];
}

export interface SurveyTables {
  drivers: { driver: string; title: string; dimension: string }[];
  categories: { category: string; title: string }[];
  heatmap: SurveyTableRow<HeatmapCell>[];
  hours: SurveyTableRow<HoursCell>[];
  /** True when the organisation itself is withheld: too few responses to show anything. */
  empty: boolean;
}

/** The shades' lower bounds, lowest first: the heatmap and its legend read the same steps. */
const SHADE_STEPS: { shade: Shade; from: number }[] = [
  { shade: 'very-low', from: 0 },
  { shade: 'low', from: 30 },
  { shade: 'middle', from: 50 },
  { shade: 'high', from: 65 },
  { shade: 'very-high', from: 80 },
];

export function shadeOf(favourablePercent: number): Shade {
  return [...SHADE_STEPS].reverse().find((step) => favourablePercent >= step.from)?.shade ?? 'very-low';
}

/** The heatmap's colour legend: each shade with the % favourable it stands for ("30–49 %"). */
export const HEAT_LEGEND: { shade: Shade; label: string }[] = SHADE_STEPS.map((step, index) => {
  const next = SHADE_STEPS[index + 1];
  return { shade: step.shade, label: next ? `${step.from}–${next.from - 1} %` : `${step.from}–100 %` };
});

/** A share's interval as the server computed it: "30–92.7 %". */
export const formatInterval = (interval: { low: number; high: number }, unit = ' %') =>
  `${interval.low}–${interval.high}${unit}`;

type OrgFigures = Extract<SurveyResultsByTeam['organization']['result'], { suppressed: false }>;

export interface ChoiceBars {
  question: string;
  text: string;
  /** Why the question shows no bars (withheld), else null. */
  reason: string | null;
  respondents: number;
  few: boolean;
  /** In the server's ranking, highest share first; `percent` is also the bar's width. */
  bars: { option: string; label: string; percent: number; interval: string; rank: number }[];
}

/** Each choice question (single and multiple) as ranked bars, in the order and ranking the server gave. */
export function choiceBars(organization: OrgFigures): ChoiceBars[] {
  return organization.choices.map(({ question, text, result }) =>
    result.suppressed
      ? { question, text, reason: result.reason, respondents: 0, few: false, bars: [] }
      : {
          question,
          text,
          reason: null,
          respondents: result.respondents,
          few: result.fewResponses,
          bars: [...result.options]
            .sort((a, b) => a.rank - b.rank)
            .map((option) => ({
              option: option.option,
              label: option.label,
              percent: option.percent,
              interval: formatInterval(option.interval95),
              rank: option.rank,
            })),
        },
  );
}

/** A difference in percentage points, signed: "+5.2 pts", "−3 pts", "±0 pts". */
export function formatPoints(difference: number): string {
  if (difference === 0) return '±0 pts';
  return `${difference > 0 ? '+' : '−'}${Math.abs(difference)} pts`;
}

/** `waiting-on-builds` → "Waiting on builds". */
export function categoryTitle(category: string): string {
  const words = category.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

type Group = SurveyResultsByTeam['teams'][number];

function responsesText(group: Pick<Group, 'teamSize' | 'result'>): string {
  if (group.result.suppressed) return group.result.reason;
  const { responses, responseRatePercent } = group.result;
  if (responseRatePercent === null || group.teamSize === 0)
    return `${responses} response${responses === 1 ? '' : 's'}`;
  return `${responses} of ${group.teamSize} members (${responseRatePercent}%)`;
}

/** Rows for the organisation and then each team, in the API's order. */
export function surveyTables(results: SurveyResultsByTeam): SurveyTables {
  const { drivers } = results.survey;
  const categories = results.survey.frictionCategories.map((category) => ({
    category,
    title: categoryTitle(category),
  }));
  const groups: (Pick<Group, 'teamSize' | 'result'> & { team: { slug: string; name: string } })[] = [
    { team: { slug: '(organization)', name: 'Organisation' }, ...results.organization },
    ...results.teams,
  ];
  const heatmap = groups.map(({ team, teamSize, result }) => ({
    slug: team.slug,
    name: team.name,
    responses: responsesText({ teamSize, result }),
    cells: drivers.map(({ driver, title }): HeatmapCell => {
      const cell = result.suppressed
        ? result
        : (result.drivers.find((d) => d.driver === driver)?.result ?? {
            suppressed: true as const,
            reason: 'not asked',
          });
      if (cell.suppressed)
        return { kind: 'suppressed', reason: cell.reason, label: `${team.name}, ${title}: ${cell.reason}` };
      const change = cell.vsPreviousQuarter.difference;
      return {
        kind: 'figure',
        favourablePercent: cell.favourablePercent,
        respondents: cell.respondents,
        shade: shadeOf(cell.favourablePercent),
        change: change === null ? null : formatPoints(change),
        meanScore: cell.meanScore,
        interval: formatInterval(cell.favourableInterval95),
        few: cell.fewResponses,
        label:
          `${team.name}, ${title}: ${cell.favourablePercent}% favourable of ${cell.respondents} respondents` +
          ` (95% interval ${formatInterval(cell.favourableInterval95)}${cell.fewResponses ? ', few responses' : ''})` +
          (change === null
            ? ''
            : `, ${formatPoints(change)} against ${results.survey.previousSurveyId ?? 'the previous round'}`) +
          `; mean ${cell.meanScore} of 5 (answers 1 to 5: ${cell.distributionPercent.map((p) => `${p}%`).join(', ')})`,
      };
    }),
  }));
  const hours = groups.map(({ team, teamSize, result }) => ({
    slug: team.slug,
    name: team.name,
    responses: responsesText({ teamSize, result }),
    cells: categories.map(({ category, title }): HoursCell => {
      const cell = result.suppressed
        ? result
        : (result.hoursLost.find((h) => h.category === category)?.result ?? {
            suppressed: true as const,
            reason: 'not asked',
          });
      if (cell.suppressed)
        return { kind: 'suppressed', reason: cell.reason, label: `${team.name}, ${title}: ${cell.reason}` };
      const interval = `${cell.interval95.low}–${cell.interval95.high}`;
      return {
        kind: 'figure',
        meanHoursPerWeek: cell.meanHoursPerWeek,
        interval,
        respondents: cell.respondents,
        few: cell.fewResponses,
        label:
          `${team.name}, ${title}: ${cell.meanHoursPerWeek} hours a week on average ` +
          `(95% interval ${interval}), ${cell.respondents} respondents`,
      };
    }),
  }));
  return { drivers, categories, heatmap, hours, empty: results.organization.result.suppressed };
}
