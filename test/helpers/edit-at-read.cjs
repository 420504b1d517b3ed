// Preloaded (NODE_OPTIONS=--require) by tests of a file saved by hand while
// rota works on it: the first time the process reads the file named
// ROTA_TEST_EDIT (by fs/promises' readFile, as rota does just before it
// writes the file), ROTA_TEST_EDIT_TEXT is first appended to it, as an
// editor saving it a moment earlier would have.
const fs = require("node:fs");
const path = require("node:path");
const { syncBuiltinESMExports } = require("node:module");
const name = process.env.ROTA_TEST_EDIT;
const text = process.env.ROTA_TEST_EDIT_TEXT ?? "# edited by hand\n";
let edited = false;
const readFile = fs.promises.readFile;
fs.promises.readFile = function (file, ...rest) {
  if (!edited && typeof file === "string" && path.basename(file) === name) {
    edited = true;
    fs.appendFileSync(file, text);
  }
  return readFile.call(this, file, ...rest);
};
syncBuiltinESMExports();
