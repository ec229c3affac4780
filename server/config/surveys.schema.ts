import Type from 'typebox';

/** `surveys` in groundwork.yaml. */
export const SurveysSchema = Type.Object(
  {
    // Anonymity: groups with fewer responses are suppressed; below 3, a group is too easy to re-identify.
    minGroupSize: Type.Optional(Type.Integer({ minimum: 3, description: 'an integer of at least 3' })),
    // Survey rounds kept with the organisation's configuration rather than inside the install (relative to
    // this file; GROUNDWORK_SURVEYS_DIR overrides it). Default: the install's scorecards/surveys.
    dir: Type.Optional(Type.String({ minLength: 1, description: 'a folder of survey round files' })),
    // Free-text answers (comments, "Other" texts) are served and shown only when the organisation opts in,
    // and then only for teams of at least minGroupSize responses: words can identify a person where
    // figures cannot.
    publishComments: Type.Optional(Type.Boolean({ description: 'true or false (default)' })),
  },
  { additionalProperties: false },
);
