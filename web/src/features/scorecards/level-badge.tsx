import type { TeamScorecard } from './scorecards.types.ts';

/** A level in text, with its rank on the ladder ("Silver, level 2 of 3"), styled by position, not colour alone. */
export function LevelBadge({ card, level }: { card: TeamScorecard; level: string | null }) {
  const index = card.levels.findIndex((candidate) => candidate.id === level);
  const title = index === -1 ? 'No level' : (card.levels[index]?.title ?? level);
  return (
    <span className={`level level-${index === -1 ? 'none' : `rank-${index + 1}`}`}>
      <span className="level-title">{title}</span>
      <span className="level-rank">
        {index === -1 ? `0 of ${card.levels.length}` : `level ${index + 1} of ${card.levels.length}`}
      </span>
    </span>
  );
}
