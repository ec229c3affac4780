/**
 * The mark on a survey figure from fewer than 10 respondents (the server's `fewResponses`): a small sample
 * looks small, in words, not by colour alone.
 */
export function FewResponses() {
  return (
    <span className="few-responses" title="Fewer than 10 respondents: read the interval, not the point">
      few responses
    </span>
  );
}
