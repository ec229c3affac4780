import Type from 'typebox';
import type { Static } from 'typebox';
import type { SurveyDimension } from './survey-drivers.ts';

/** The shape of a `scorecards/surveys/*.yaml` file. Meaning (drivers, unique keys, dates) is checked in load-surveys.ts. */

const Slug = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]*$',
  description: 'lower-case letters, digits and -',
});
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a date like 2026-10-01' });

const common = {
  key: Slug,
  version: Type.Optional(
    Type.Integer({ minimum: 1, description: 'an integer from 1; raise it when the wording changes' }),
  ),
  text: Type.String({ minLength: 1 }),
};

const Option = Type.Object(
  { key: Slug, label: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);

const Question = Type.Union([
  Type.Object({ ...common, kind: Type.Literal('likert'), driver: Slug }, { additionalProperties: false }),
  Type.Object({ ...common, kind: Type.Literal('hours'), category: Slug }, { additionalProperties: false }),
  Type.Object(
    { ...common, kind: Type.Literal('single-choice'), options: Type.Array(Option, { minItems: 2 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { ...common, kind: Type.Literal('multiple-choice'), options: Type.Array(Option, { minItems: 2 }) },
    { additionalProperties: false },
  ),
  Type.Object({ ...common, kind: Type.Literal('text') }, { additionalProperties: false }),
]);

/** Date orders an export may use; `auto` detects it from the file (dots: day first, as German settings write). */
export const DATE_FORMATS = ['auto', 'yyyy-mm-dd', 'dd.mm.yyyy', 'dd/mm/yyyy', 'mm/dd/yyyy'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const CsvMapping = Type.Object(
  {
    team: Type.Optional(Type.String({ minLength: 1 })),
    submittedAt: Type.Optional(Type.String({ minLength: 1 })),
    respondent: Type.Optional(Type.String({ minLength: 1 })),
    answers: Type.Optional(Type.Record(Type.String(), Type.String({ minLength: 1 }))),
    dateFormat: Type.Optional(
      Type.Union(
        DATE_FORMATS.map((format) => Type.Literal(format)),
        {
          description: `how the export writes dates: ${DATE_FORMATS.join(', ')} (default auto: detected per file)`,
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const SurveyFileSchema = Type.Object(
  {
    id: Slug,
    title: Type.String({ minLength: 1 }),
    quarter: Type.String({ pattern: '^\\d{4}-Q[1-4]$', description: 'a quarter like 2026-Q4' }),
    opens: Day,
    closes: Day,
    openForm: Type.Optional(
      Type.Boolean({
        description:
          'true: the form takes answers without a one-time link, for any team (anyone can pad a team); default false',
      }),
    ),
    // Replaced by openForm (links are now required by default); kept to explain the change in an error.
    oneResponsePerLink: Type.Optional(Type.Boolean()),
    csv: Type.Optional(CsvMapping),
    questions: Type.Array(Question, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type SurveyFile = Static<typeof SurveyFileSchema>;
export type SurveyQuestionFile = Static<typeof Question>;

export interface SurveyOption {
  key: string;
  label: string;
}

interface QuestionBase {
  key: string;
  version: number;
  text: string;
}

export type SurveyQuestion =
  | (QuestionBase & { kind: 'likert'; driver: string; dimension: SurveyDimension })
  | (QuestionBase & { kind: 'hours'; category: string })
  | (QuestionBase & { kind: 'single-choice' | 'multiple-choice'; options: SurveyOption[] })
  | (QuestionBase & { kind: 'text' });

/** A validated survey round. `opens`/`closes` are whole UTC days, both included. */
export interface Survey {
  id: string;
  title: string;
  quarter: string;
  opens: string;
  closes: string;
  /** The owner opted out of one-time links: anyone may answer for any team, and those answers count. */
  openForm: boolean;
  csv: {
    team: string | null;
    submittedAt: string | null;
    respondent: string | null;
    answers: Record<string, string>;
    dateFormat: DateFormat;
  };
  questions: SurveyQuestion[];
  file: string;
}
