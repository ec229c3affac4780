import type { DriverFigures, GroupFigures, SurveyResults, Suppressed } from './survey-results.ts';

/**
 * Other shapes of the same results (`groupBy=driver`, the CSV export). They only re-arrange what
 * computeSurveyResults decided: a withheld group or cell stays withheld, with its reason and no figure.
 */

type Group = { team: { slug: string; name: string }; result: GroupFigures | Suppressed };

const ORGANIZATION = { slug: '(organization)', name: 'Organisation' };

const BLANK = {
  respondents: '',
  responseRatePercent: '',
  favourablePercent: '',
  neutralPercent: '',
  unfavourablePercent: '',
  meanHoursPerWeek: '',
  vsOrganization: '',
  vsPreviousQuarter: '',
  suppressed: '',
};
type CsvFigures = Partial<Record<Exclude<keyof typeof BLANK, 'suppressed'>, string | number>>;

const hidden = (result: Suppressed): Suppressed => ({ suppressed: true, reason: result.reason });

function groupsOf(results: SurveyResults): Group[] {
  return [{ team: ORGANIZATION, result: results.organization.result }, ...results.teams];
}

function driverResult(group: Group, driver: string): DriverFigures | Suppressed {
  if (group.result.suppressed) return hidden(group.result);
  const cell = group.result.drivers.find((d) => d.driver === driver);
  return cell ? cell.result : { suppressed: true, reason: 'not asked' };
}

/** One entry per driver of the survey, with the organisation and every team. */
export function resultsByDriver(results: SurveyResults) {
  return {
    survey: results.survey,
    minGroupSize: results.minGroupSize,
    drivers: results.survey.drivers.map((info) => ({
      ...info,
      organization: driverResult(groupsOf(results)[0]!, info.driver),
      teams: results.teams.map((team) => ({ team: team.team, result: driverResult(team, info.driver) })),
    })),
  };
}

/**
 * The CSV export: per group (organisation first), a `responses` row, then one row per driver and per
 * friction category. A withheld row has its reason in `suppressed` and every figure empty.
 */
export function resultCsvRows(results: SurveyResults): Record<string, string | number>[] {
  return groupsOf(results).flatMap(({ team, result }) => {
    const row = (measure: string, key: string, figures: CsvFigures | Suppressed) => ({
      survey: results.survey.id,
      team: team.slug,
      measure,
      key,
      ...BLANK,
      ...('reason' in figures ? { suppressed: figures.reason } : figures),
    });
    if (result.suppressed) {
      return [
        row('responses', '', result),
        ...results.survey.drivers.map((d) => row('driver', d.driver, result)),
        ...results.survey.frictionCategories.map((c) => row('hours', c, result)),
      ];
    }
    const change = (c: { difference: number | null }) => c.difference ?? '';
    return [
      row('responses', '', {
        respondents: result.responses,
        responseRatePercent: result.responseRatePercent ?? '',
      }),
      ...result.drivers.map((d) =>
        row(
          'driver',
          d.driver,
          d.result.suppressed
            ? d.result
            : {
                respondents: d.result.respondents,
                favourablePercent: d.result.favourablePercent,
                neutralPercent: d.result.neutralPercent,
                unfavourablePercent: d.result.unfavourablePercent,
                vsOrganization: change(d.result.vsOrganization),
                vsPreviousQuarter: change(d.result.vsPreviousQuarter),
              },
        ),
      ),
      ...result.hoursLost.map((h) =>
        row(
          'hours',
          h.category,
          h.result.suppressed
            ? h.result
            : {
                respondents: h.result.respondents,
                meanHoursPerWeek: h.result.meanHoursPerWeek,
                vsOrganization: change(h.result.vsOrganization),
                vsPreviousQuarter: change(h.result.vsPreviousQuarter),
              },
        ),
      ),
    ];
  });
}
