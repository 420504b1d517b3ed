// Preloaded (NODE_OPTIONS=--require) by a start-up test: says on stderr
// (written directly, so as to make nothing itself) when something creates
// process.stdout or process.stderr, streams that cost start-up time where
// they are pipes, or loads fs/promises.
const { writeSync } = require("node:fs");
for (const name of ["stdout", "stderr"]) {
  const original = Object.getOwnPropertyDescriptor(process, name);
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: original.enumerable,
    get() {
      writeSync(2, `trap: ${name} created\n`);
      Object.defineProperty(process, name, original);
      return original.get.call(process);
    },
  });
}
// And when fs/promises was loaded: its calls go through the thread pool, and
// it loads the stream and readline modules.
process.on("exit", () => {
  if (process.moduleLoadList.includes("NativeModule fs/promises")) {
    writeSync(2, "trap: fs/promises loaded\n");
  }
});
