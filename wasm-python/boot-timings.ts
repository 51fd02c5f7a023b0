/**
 * Stage timings of an engine's boot (`EngineInfo.bootTimings`): `lap(stage)`
 * records the milliseconds (one decimal) since the previous lap, or since
 * the timer was made.
 */
export function bootTimer(): { timings: Record<string, number>; lap: (stage: string) => void } {
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    timings[stage] = Math.round((now - mark) * 10) / 10;
    mark = now;
  };
  return { timings, lap };
}
