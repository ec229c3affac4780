/**
 * The drivers a Likert statement can be tied to, grouped by the three dimensions of the DevEx framework
 * (Noda, Storey, Forsgren, Greiler, "DevEx: What Actually Drives Productivity", ACM Queue 2023):
 * feedback loops, cognitive load and flow state. The driver names follow those common in DX's driver
 * model (build and test, code review, ease of release, documentation, dev environment, deep work).
 */
export const SURVEY_DIMENSIONS = ['feedback-loops', 'cognitive-load', 'flow-state'] as const;
export type SurveyDimension = (typeof SURVEY_DIMENSIONS)[number];

export interface SurveyDriver {
  id: string;
  title: string;
  dimension: SurveyDimension;
}

export const SURVEY_DRIVERS: readonly SurveyDriver[] = [
  { id: 'build-and-test', title: 'Build and test speed', dimension: 'feedback-loops' },
  { id: 'code-review', title: 'Code review', dimension: 'feedback-loops' },
  { id: 'deploy-process', title: 'Deploy process', dimension: 'feedback-loops' },
  { id: 'ease-of-release', title: 'Ease of release', dimension: 'feedback-loops' },
  { id: 'environments', title: 'Development environments', dimension: 'cognitive-load' },
  { id: 'documentation', title: 'Documentation', dimension: 'cognitive-load' },
  { id: 'code-maintainability', title: 'Code maintainability', dimension: 'cognitive-load' },
  { id: 'ops-dependencies', title: 'Dependencies on ops', dimension: 'flow-state' },
  { id: 'focus-time', title: 'Focus time', dimension: 'flow-state' },
];

export const surveyDriver = (id: string): SurveyDriver | undefined =>
  SURVEY_DRIVERS.find((driver) => driver.id === id);
