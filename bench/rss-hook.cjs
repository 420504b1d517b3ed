// Preloaded into benchmarked processes: reports the peak resident memory on exit.
if (process.env.ROTA_BENCH_RSS) {
  process.on("exit", () => {
    process.stderr.write(`\nROTA_BENCH_RSS=${process.resourceUsage().maxRSS}\n`);
  });
}
