/** The readiness verdicts in words (no imports: the web app reads it too). */
export const VERDICT_TITLE = {
  'fix-delivery-first': 'Fix delivery first',
  'fix-directly': 'Fix the few friction points directly',
  'build-platform': 'Build a platform',
} as const;
