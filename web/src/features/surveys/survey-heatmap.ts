import type { DriverResult, SurveyResultsByDriver } from './surveys.types.ts';

/** One cell of the team × driver heatmap: a shown figure with its shade, or why it is withheld. */
export type HeatmapCell =
  | { kind: 'figure'; favourablePercent: number; respondents: number; shade: Shade; label: string }
  | { kind: 'suppressed'; reason: string; label: string };

/** Five steps of favourability; the text always carries the number, so colour is never the only cue. */
export type Shade = 'very-low' | 'low' | 'middle' | 'high' | 'very-high';

export interface HeatmapRow {
  /** `(organization)` for the organisation row. */
  slug: string;
  name: string;
  cells: HeatmapCell[];
}

export interface Heatmap {
  drivers: { driver: string; title: string; dimension: string }[];
  rows: HeatmapRow[];
}

export function shadeOf(favourablePercent: number): Shade {
  if (favourablePercent < 30) return 'very-low';
  if (favourablePercent < 50) return 'low';
  if (favourablePercent < 65) return 'middle';
  if (favourablePercent < 80) return 'high';
  return 'very-high';
}

function cellOf(result: DriverResult, driverTitle: string, group: string): HeatmapCell {
  if (result.suppressed)
    return { kind: 'suppressed', reason: result.reason, label: `${group}, ${driverTitle}: ${result.reason}` };
  const percent = result.favourablePercent;
  return {
    kind: 'figure',
    favourablePercent: percent,
    respondents: result.respondents,
    shade: shadeOf(percent),
    label: `${group}, ${driverTitle}: ${percent}% favourable of ${result.respondents} responses`,
  };
}

/** The API's per-driver results as heatmap rows: the organisation first, then each team. */
export function surveyHeatmap(results: SurveyResultsByDriver): Heatmap {
  const drivers = results.drivers.map(({ driver, title, dimension }) => ({ driver, title, dimension }));
  const organization: HeatmapRow = {
    slug: '(organization)',
    name: 'Organisation',
    cells: results.drivers.map((d) => cellOf(d.organization, d.title, 'Organisation')),
  };
  const teams = new Map<string, HeatmapRow>();
  for (const driver of results.drivers) {
    for (const { team, result } of driver.teams) {
      let row = teams.get(team.slug);
      if (!row) {
        row = { slug: team.slug, name: team.name, cells: [] };
        teams.set(team.slug, row);
      }
      row.cells.push(cellOf(result, driver.title, team.name));
    }
  }
  return { drivers, rows: [organization, ...teams.values()] };
}
