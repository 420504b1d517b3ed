// Runs rota's bundle (on every Node, bar ROTA_DEBUG=1: see rota.js): the
// CommonJS copies of its files in dist/cjs/ are compiled with V8's code
// cache, kept per user, so a start-up deserializes compiled code instead of
// parsing and compiling the bundle again.
//
// The cache only ever saves time: a cache that is missing, damaged, written by
// another Node, owned by someone else or unwritable is ignored (and rewritten
// where it can be), and the command runs as it would without one.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const debug = require("node:util").debuglog("rota");
const vm = require("node:vm");
// Whether bytes are all ASCII, checked at the speed of memory (every Node rota runs on has it).
const { isAscii } = require("node:buffer");

const DIST = path.join(__dirname, "..", "dist");
const CJS = path.join(DIST, "cjs");
// A cache file: 16 bytes naming it, the 64-bit hash of V8's data and its length, then the data.
const MAGIC = Buffer.from("rota v8 cache 4\n");
const CHECKSUM = MAGIC.length;
const LENGTH = CHECKSUM + 8;
const HEADER = LENGTH + 4;

/**
 * A WebAssembly module exporting its memory and `hash(length)`, a 64-bit hash
 * of the memory's first `length` bytes: xxHash64's round on each 8-byte word
 * and its avalanche at the end (scripts/code-cache-hash.mjs assembles it, and
 * says how it reads). Each of its steps is one-to-one in the data it takes
 * in, so damage within one 8-byte word is always caught, and other damage
 * goes unnoticed once in 2^64.
 */
const HASH_MODULE =
  "AGFzbQEAAAABBgFgAX8BfgMCAQAFAwEAAQcRAgZtZW1vcnkCAARoYXNoAAAKxgEBwwECAn8BfiAArULFz9my8eW66id8IQMgAEF4cSECAkADQCABIAJPDQEgAyABKQMAQs/W077Sx6vZQn58Qh+JQoeVr6+Ytt6bnn9+IQMgAUEIaiEBDAALCwJAA0AgASAATw0BIAMgATEAAELFz9my8eW66id+fEILiUKHla+vmLbem55/fiEDIAFBAWohAQwACwsgAyADQiGIhULP1tO+0ser2UJ+IQMgAyADQh2IhUL5893xmfaZqxZ+IQMgAyADQiCIhQs=";

/** The hash module's exports once made; null where WebAssembly cannot run (`--jitless`). */
let hasher;

/**
 * The data's hash, or undefined where it cannot be computed (the cache is
 * then not used). V8 itself does not check cached data, and damaged data
 * would crash it. The hash is for damage (a write, a copy, a file cut
 * short), checked when a file is first read and whenever it was written
 * since (`readChecked`). No one else can write the cache (see `ours`), so
 * it needs no cryptographic hash, whose module would cost a start-up more
 * than the rest of this check, nor node:zlib's CRC-32, which loads Node's
 * streams (a few milliseconds of a start-up of 20 or so). WebAssembly runs
 * compiled from its first call, where a hash in JavaScript would run cold,
 * slower still.
 */
function checksum(data) {
  if (hasher === undefined) {
    try {
      const module = new WebAssembly.Module(Buffer.from(HASH_MODULE, "base64"));
      hasher = new WebAssembly.Instance(module).exports;
    } catch (error) {
      debug("code cache: cannot check cache files here: %s", error?.message ?? error);
      hasher = null;
    }
  }
  if (hasher === null) return undefined;
  const { memory, hash } = hasher;
  const pages = Math.ceil(data.length / 65536) - memory.buffer.byteLength / 65536;
  if (pages > 0) memory.grow(pages);
  new Uint8Array(memory.buffer, 0, data.length).set(data);
  return BigInt.asUintN(64, hash(data.length));
}

const uid = typeof process.getuid === "function" ? process.getuid() : undefined;

/** Whether a file or directory is ours alone to write (always so where there are no uids). */
function ours(stat) {
  return uid === undefined || (stat.uid === uid && (stat.mode & 0o022) === 0);
}

/**
 * The directory for this build of rota on this Node: in $XDG_CACHE_HOME/rota,
 * ~/.cache/rota, or a directory of this user's in the system's temporary
 * directory, one directory per Node version and architecture (each Node
 * compiles its own code), and in it one per build.
 */
function cacheDirectory(build) {
  const xdg = process.env.XDG_CACHE_HOME;
  // node:os only where the environment does not say: what it reads first, on
  // POSIX systems, is $HOME and $TMPDIR, and loading it costs a start-up.
  const os = () => require("node:os");
  const posix = process.platform !== "win32";
  const bases = [];
  if (xdg && path.isAbsolute(xdg)) bases.push(() => path.join(xdg, "rota"));
  else {
    const home = (posix && process.env.HOME) || os().homedir();
    if (home) bases.push(() => path.join(home, ".cache", "rota"));
  }
  bases.push(() => path.join(os().tmpdir(), `rota-${uid ?? "user"}`));
  for (const baseOf of bases) {
    const base = baseOf();
    const node = path.join(base, `v8-${process.version}-${process.arch}`);
    const dir = path.join(node, build);
    try {
      if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      // The data is run as code: only directories no one else can write will do.
      if ([base, node, dir].every((each) => ours(fs.statSync(each)))) return { node, dir };
      debug("code cache: %s may be written by others; not used", dir);
    } catch (error) {
      debug("code cache: %s: %s", dir, error.message);
    }
  }
  return undefined;
}

/** How each file of dist/cjs/ starts: the function its text is the body of. */
const WRAPPER_HEAD = "(function (exports, require, module, __rotaUrl, __rotaPack, __filename) {";

/**
 * An absolute path's file: URL, as url.pathToFileURL gives it. A POSIX path of
 * letters, digits and `_.-` only (where rota is installed, nearly always)
 * reads the same as a URL, and is written so without parsing one: that
 * parse costs a start-up a fifth of a millisecond.
 */
function fileUrl(file) {
  const plain = path.sep === "/" && /^(?:\/[\w.-]+)+$/.test(file) && !/\/\.\.?(?:\/|$)/.test(file);
  return plain ? `file://${file}` : pathToFileURL(file).href;
}

/** Builds whose cache is kept (the newest by the time their cache was last written). */
const KEEP_BUILDS = 3;

/** Removes the caches of all but the newest few builds, so that old builds' pile up nowhere. */
function pruneBuilds(node) {
  try {
    const builds = fs
      .readdirSync(node)
      .map((name) => ({ name, time: fs.lstatSync(path.join(node, name)).mtimeMs }))
      .sort((a, b) => b.time - a.time);
    for (const { name } of builds.slice(KEEP_BUILDS)) {
      fs.rmSync(path.join(node, name), { recursive: true, force: true });
      debug("code cache: removed an older build's cache, %s", name);
    }
  } catch (error) {
    debug("code cache: cannot tidy %s: %s", node, error.message);
  }
}

/**
 * What tells whether a file was written since it was last looked at: its
 * inode, size, and times of last change (to the nanosecond where the system
 * keeps them). Every write to a file, every truncation and every file
 * renamed over it changes one of them; a file copied is another inode.
 */
function stampOf(stat) {
  return `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
}

/** The file in a build's cache directory listing the cache files already checked. */
const CHECKED = "checked";

/**
 * What the list of those checked says of a cache file not written yet, whose
 * file a run has loaded once: the run after it writes it. A file's first run
 * is often not like the runs after it (the first `rota who` builds the
 * indexes the others read, and a CI job runs each command once, in a cache
 * that is thrown away): the cache holds the code the next run compiled, not
 * the first's. Written that way, `rota who`'s cache is a fifth smaller, and
 * starts a millisecond sooner.
 */
const SEEN = "seen";

/**
 * The cache files whose data was found whole against its hash, each with its
 * stamp then: a file with the same stamp now has not been written since, and
 * its data needs no hashing again. A file damaged in place (a write, a copy
 * over it, a file cut short) has another stamp and is hashed again. Empty
 * where the list is missing, damaged or not ours.
 */
function readChecked(directory) {
  const checked = new Map();
  let fd;
  try {
    fd = fs.openSync(
      path.join(directory, CHECKED),
      fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0),
    );
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || !ours(stat) || stat.size > 65536) return checked;
    const bytes = Buffer.allocUnsafe(stat.size);
    const text = bytes.toString("latin1", 0, fs.readSync(fd, bytes, 0, stat.size, 0));
    for (const line of text.split("\n")) {
      const space = line.indexOf(" ");
      if (space > 0) checked.set(line.slice(0, space), line.slice(space + 1));
    }
  } catch {
    // None yet, or unreadable: every cache file is hashed.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return checked;
}

/** Writes the list of checked cache files whole, or leaves it be. */
function writeChecked(directory, checked) {
  const text = [...checked].map(([name, stamp]) => `${name} ${stamp}\n`).join("");
  replaceFile(path.join(directory, CHECKED), () => Buffer.from(text));
}

/** What `readCache` gives for a cache file that does not exist (not one that is damaged). */
const ABSENT = Symbol("absent");

/**
 * This file's cached data; ABSENT if there is no such file; undefined if
 * there is one, but not whole or not ours. Its data is hashed unless `stamp`
 * (from the list of those checked before) is the file's own now;
 * `onChecked` hears the stamp of a file whose data was hashed and found whole.
 */
function readCache(file, stamp, onChecked) {
  let fd;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    const big = fs.fstatSync(fd, { bigint: true });
    const size = Number(big.size);
    const stat = { uid: Number(big.uid), mode: Number(big.mode) };
    if (!big.isFile() || !ours(stat) || size < HEADER) return undefined;
    const bytes = Buffer.allocUnsafe(size);
    if (fs.readSync(fd, bytes, 0, size, 0) !== size) return undefined;
    const data = bytes.subarray(HEADER);
    const whole =
      bytes.subarray(0, MAGIC.length).equals(MAGIC) && bytes.readUInt32LE(LENGTH) === data.length;
    if (whole && stamp !== undefined && stamp === stampOf(big)) return data;
    const sum = whole ? checksum(data) : undefined;
    if (whole && sum === undefined) return undefined; // no way to check it here
    if (!whole || bytes.readBigUInt64LE(CHECKSUM) !== sum) {
      debug("code cache: %s is damaged; compiling again", file);
      return undefined;
    }
    debug("code cache: %s checked against its hash", file);
    onChecked(stampOf(big));
    return data;
  } catch (error) {
    return error?.code === "ENOENT" ? ABSENT : undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Replaces the cache file whole, or leaves it be. */
function writeCache(file, data) {
  replaceFile(file, () => {
    const sum = checksum(data);
    if (sum === undefined) return undefined;
    const header = Buffer.alloc(HEADER);
    MAGIC.copy(header);
    header.writeBigUInt64LE(sum, CHECKSUM);
    header.writeUInt32LE(data.length, LENGTH);
    return Buffer.concat([header, data]);
  });
}

/**
 * Replaces a file of the cache whole: `bytes()` written to a new file,
 * renamed over it. Nothing is written where `bytes()` gives nothing, and a
 * failure leaves the old file (or none) and no new one.
 */
function replaceFile(file, bytes) {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    const data = bytes();
    if (data === undefined) return;
    fs.writeFileSync(temporary, data, { flag: "wx", mode: 0o600 });
    fs.renameSync(temporary, file);
  } catch (error) {
    debug("code cache: cannot write %s: %s", file, error.message);
    try {
      fs.unlinkSync(temporary);
    } catch {}
  }
}

/** A file's text and its stat, read through one descriptor. */
function readSource(file) {
  const fd = fs.openSync(file, "r");
  try {
    const stat = fs.fstatSync(fd);
    const bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = fs.readSync(fd, bytes, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    // Nearly every file of the bundle is ASCII, which reads the same as
    // Latin-1: copied as it is instead of decoded as UTF-8, which costs the
    // planner's 1.5 MB a few milliseconds. The others are decoded.
    const text = isAscii(bytes.subarray(0, read))
      ? bytes.toString("latin1", 0, read)
      : bytes.toString("utf8", 0, read);
    return { source: text, stat };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The name under dist/cjs/ that `id`, required by a file in `dir` ("" or
 * "chunks/"), names: the bundle requires "./name.js" and "./chunks/name.js";
 * anything else is resolved in full.
 */
function inside(dir, id) {
  if (/^\.\/(?:chunks\/)?[\w-][\w.-]*$/.test(id)) return dir + id.slice(2);
  const file = path.resolve(CJS, dir, id);
  return path.relative(CJS, file).split(path.sep).join("/");
}

/**
 * Loads dist/cjs/cli.js (and, through its require(), the chunks it needs) and
 * returns its exports, with a function that saves the code compiled so far
 * for the files whose cache was refused, damaged, or missing a second time
 * (see SEEN).
 */
function load() {
  // The entry's size and time name the build: the build writes every file anew.
  const entry = fs.statSync(path.join(CJS, "cli.js"));
  const cache = cacheDirectory(`${entry.size}-${Math.trunc(entry.mtimeMs)}`);
  const directory = cache?.dir;
  const distUrl = fileUrl(DIST);
  const modules = new Map();
  const unsaved = [];
  // The cache files checked before, read when first needed, and whether any was checked now.
  let checked;
  let checkedNow = false;
  // The files a file holds besides its own code (see scripts/build.mjs), by name.
  const packed = new Map();
  const pack = (members) => {
    for (const [name, run] of Object.entries(members)) if (!packed.has(name)) packed.set(name, run);
  };

  // Files go by their name under dist/cjs/ ("cli.js", "chunks/who-….js"):
  // joining plain names costs less than resolving paths, file after file.
  const cjsPrefix = CJS + path.sep;
  function requireFile(relative) {
    const known = modules.get(relative);
    if (known) return known.exports;
    const module = { exports: {} };
    modules.set(relative, module);
    const file = cjsPrefix + (path.sep === "/" ? relative : relative.replaceAll("/", path.sep));
    const slash = relative.lastIndexOf("/");
    const dir = slash === -1 ? "" : relative.slice(0, slash + 1);
    const local = (id) => (id.startsWith(".") ? requireFile(inside(dir, id)) : require(id));
    const url = `${distUrl}/${relative}`;
    const held = packed.get(relative);
    if (held) {
      // Compiled with the file that holds it, and cached with it.
      debug("load %s (held by a file loaded before)", file);
      held(module.exports, local, module, url, file);
      return module.exports;
    }
    const { source, stat } = readSource(file);
    // The file's name, size and time tell one build's copy from another's.
    let cacheFile;
    if (directory !== undefined) {
      const key = `${relative.replaceAll("/", "-")}-${stat.size}-${Math.trunc(stat.mtimeMs)}`;
      cacheFile = `${directory}${path.sep}${key}.bin`;
    }
    let cachedData;
    // Whether this file's cache is to be written by this run (see SEEN).
    let write = false;
    if (cacheFile) {
      const name = path.basename(cacheFile);
      checked ??= readChecked(directory);
      const stamp = checked.get(name);
      cachedData = readCache(cacheFile, stamp, (whole) => {
        checked.set(name, whole);
        checkedNow = true;
      });
      if (cachedData === ABSENT) {
        cachedData = undefined;
        write = stamp === SEEN;
        if (!write) {
          checked.set(name, SEEN);
          checkedNow = true;
        }
      } else {
        write = true;
      }
    }
    // The build writes each file as this function already (scripts/build.mjs):
    // wrapping the text here would make V8 copy all of it again.
    const wrapped = source.startsWith(WRAPPER_HEAD) ? source : `${WRAPPER_HEAD}${source}\n})`;
    const script = new vm.Script(wrapped, { filename: file, cachedData });
    const accepted = cachedData !== undefined && !script.cachedDataRejected;
    debug("load %s (code cache %s)", file, accepted ? "used" : cachedData ? "refused" : "missing");
    if (write && !accepted) unsaved.push({ script, cacheFile });
    // Bundle file names are letters, digits, "-" and ".": nothing to escape.
    script.runInThisContext()(module.exports, local, module, url, pack, file);
    return module.exports;
  }

  const cli = requireFile("cli.js");
  return {
    cli,
    save() {
      if (cache === undefined) return;
      if (!checkedNow && unsaved.length === 0) return;
      if (checkedNow) {
        writeChecked(cache.dir, checked);
        checkedNow = false;
      }
      for (const { script, cacheFile } of unsaved.splice(0)) {
        writeCache(cacheFile, script.createCachedData());
      }
      try {
        // Written just now: this build's directory is the newest.
        fs.utimesSync(cache.dir, new Date(), new Date());
        pruneBuilds(cache.node);
      } catch (error) {
        debug("code cache: %s: %s", cache.dir, error.message);
      }
    },
  };
}

module.exports = { load, checksum, fileUrl, readSource };
