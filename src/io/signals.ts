/**
 * Runs `work` with Ctrl-C (SIGINT) and SIGTERM held off: the first one is
 * noted, and `work` (a commit, say, whose git got the terminal's Ctrl-C too)
 * ends as it will, so the command can say what state it left; a second one
 * stops the process at once, as it would have without this.
 */
export async function holdingSignals<T>(
  work: (interrupted: () => boolean) => Promise<T>,
): Promise<T> {
  let received: NodeJS.Signals | undefined;
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
  const release = () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (received === undefined) {
      received = signal;
      return;
    }
    release();
    process.kill(process.pid, signal);
  }
  for (const signal of signals) process.on(signal, onSignal);
  try {
    return await work(() => received !== undefined);
  } finally {
    release();
  }
}
