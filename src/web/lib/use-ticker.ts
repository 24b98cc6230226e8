import { useEffect, useState } from 'preact/hooks';

/**
 * A counter that goes up every `ms` while `enabled` and the tab is visible (and at once when the tab
 * comes back): components refresh when it changes, so one "live" switch drives every poll on the page.
 */
export function useTicker(ms: number, enabled = true): number {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    const bump = () => {
      if (document.visibilityState === 'visible') setTick((t) => t + 1);
    };
    const timer = setInterval(bump, ms);
    const onVisibility = () => {
      if (document.visibilityState === 'visible') bump();
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [ms, enabled]);
  return tick;
}

/** Date.now(), refreshed every `ms` (relative times such as "2 minutes ago" stay true). */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
