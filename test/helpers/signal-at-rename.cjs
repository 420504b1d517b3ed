// Preloaded (NODE_OPTIONS=--require) by tests of signals mid-write: the
// ROTA_TEST_RENAME-th rename the process makes (fs.renameSync, fs.rename or
// fs/promises' rename; counted from 1) first sends the process the signal
// ROTA_TEST_SIGNAL, as a Ctrl-C or a `kill` landing right then would, and
// gives it a moment to arrive before the rename goes on.
const fs = require("node:fs");
const { syncBuiltinESMExports } = require("node:module");
const at = Number(process.env.ROTA_TEST_RENAME);
const signal = process.env.ROTA_TEST_SIGNAL ?? "SIGINT";
let count = 0;
const pause = new Int32Array(new SharedArrayBuffer(4));
function maybeSignal() {
  count += 1;
  if (count !== at) return;
  process.kill(process.pid, signal);
  // A signal nothing handles ends the process here; one that is handled
  // waits for the event loop, after the rename.
  Atomics.wait(pause, 0, 0, 500);
}
const renameSync = fs.renameSync;
fs.renameSync = function (...args) {
  maybeSignal();
  return renameSync.apply(this, args);
};
const rename = fs.rename;
fs.rename = function (...args) {
  maybeSignal();
  return rename.apply(this, args);
};
const promised = fs.promises.rename;
fs.promises.rename = function (...args) {
  maybeSignal();
  return promised.apply(this, args);
};
syncBuiltinESMExports();
