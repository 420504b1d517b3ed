// Preloaded (NODE_OPTIONS=--require) by the start-up test: says on stderr
// when something creates process.stdin, a stream that costs start-up time.
const original = Object.getOwnPropertyDescriptor(process, "stdin");
Object.defineProperty(process, "stdin", {
  configurable: true,
  enumerable: original.enumerable,
  get() {
    process.stderr.write("trap: stdin created\n");
    return original.get.call(process);
  },
});
