// Preloaded into benchmarked processes: reports the peak resident memory and
// the CPU time (user + system, in ms) on exit.
if (process.env.ROTA_BENCH_RSS) {
  process.on("exit", () => {
    const usage = process.resourceUsage();
    const cpu = Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000);
    process.stderr.write(`\nROTA_BENCH_RSS=${usage.maxRSS} ROTA_BENCH_CPU=${cpu}\n`);
  });
}
