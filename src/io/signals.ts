/**
 * Runs `work` with Ctrl-C (SIGINT) and SIGTERM held off: the first one is
 * noted, and `work` (a commit, say, whose git got the terminal's Ctrl-C too)
 * ends as it will, so the command can say what state it left; a second one
 * stops the process at once, as it would have without this. `stop` is aborted
 * by the first one, for waits that should end at once rather than run on
 * (another rota's lock, which may stay held for minutes).
 */
export async function holdingSignals<T>(
  work: (interrupted: () => boolean, stop: AbortSignal) => Promise<T>,
): Promise<T> {
  let received: NodeJS.Signals | undefined;
  const stopping = new AbortController();
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
  const release = () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (received === undefined) {
      received = signal;
      stopping.abort();
      return;
    }
    release();
    process.kill(process.pid, signal);
  }
  for (const signal of signals) process.on(signal, onSignal);
  try {
    return await work(() => received !== undefined, stopping.signal);
  } finally {
    release();
  }
}

/**
 * Waits a moment for a signal already sent to this process to reach its
 * handler. A terminal's Ctrl-C goes to the whole job, git and rota alike: git
 * stopped by it can be seen to fail (its output ended, its exit read) before
 * rota's own handler has run, and the failure would be told as git's rather
 * than as the interruption it is. Called only where a failure is told apart
 * from an interruption.
 */
export function signalsArrived(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50));
}
