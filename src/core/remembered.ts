/**
 * A function of a string, computed once per argument: for values asked for
 * again and again in one run (a person's short name in every event, a day
 * in words on every page that shows it).
 */
export function remembered<T>(compute: (key: string) => T): (key: string) => T {
  const known = new Map<string, T>();
  return (key) => {
    if (known.has(key)) return known.get(key) as T;
    const value = compute(key);
    known.set(key, value);
    return value;
  };
}
