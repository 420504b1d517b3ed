// Assembles the WebAssembly module that bin/code-cache.js uses to check its
// cache files (a hash computed in JavaScript costs a cold start-up more than
// loading node:zlib for CRC-32, which loads Node's streams; WebAssembly runs
// compiled from its first call). Prints the module in base64, the form
// bin/code-cache.js holds it in; test/code-cache.test.ts checks the two agree
// and that the module computes `referenceHash` below.
//
// The module, in WebAssembly's text format:
//
//   (module
//     (memory (export "memory") 1)
//     (func (export "hash") (param $len i32) (result i64)
//       (local $p i32) (local $end i32) (local $h i64)
//       ;; h = P5 + len; every 8 bytes (little-endian): h = rotl(h + word * P2, 31) * P1;
//       ;; every byte left: h = rotl(h + byte * P5, 11) * P1; then xxHash64's avalanche.
//       …))
//
// Each step is one-to-one in `h` and in the word it takes in, so data that
// differs in a single 8-byte word always hashes differently; other damage
// goes unnoticed once in 2^64.
import { fileURLToPath } from "node:url";

// xxHash64's primes.
const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P5 = 0x27d4eb2f165667c5n;
const MASK = (1n << 64n) - 1n;

/** The hash, computed with BigInts: what the module must compute. */
export function referenceHash(data) {
  const rotl = (x, r) => ((x << BigInt(r)) | (x >> BigInt(64 - r))) & MASK;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let h = (P5 + BigInt(data.length)) & MASK;
  let p = 0;
  for (const end = data.length - (data.length % 8); p < end; p += 8) {
    h = (rotl((h + view.getBigUint64(p, true) * P2) & MASK, 31) * P1) & MASK;
  }
  for (; p < data.length; p++) h = (rotl((h + BigInt(data[p]) * P5) & MASK, 11) * P1) & MASK;
  h ^= h >> 33n;
  h = (h * P2) & MASK;
  h ^= h >> 29n;
  h = (h * P3) & MASK;
  return h ^ (h >> 32n);
}

const uleb = (value) => {
  const out = [];
  let n = BigInt(value);
  do {
    let byte = Number(n & 0x7fn);
    n >>= 7n;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const sleb = (value) => {
  let n = BigInt.asIntN(64, BigInt(value));
  const out = [];
  for (;;) {
    const byte = Number(n & 0x7fn);
    n >>= 7n;
    const done = (n === 0n && (byte & 0x40) === 0) || (n === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
};
const name = (text) => [...uleb(text.length), ...Buffer.from(text)];
const section = (id, body) => [id, ...uleb(body.length), ...body];
const vector = (items) => [...uleb(items.length), ...items.flat()];

// Locals: the parameter, then $p, $end (i32) and $h (i64).
const LEN = 0;
const P = 1;
const END = 2;
const H = 3;
const get = (local) => [0x20, local];
const set = (local) => [0x21, local];
const i32 = (value) => [0x41, ...sleb(value)];
const i64 = (value) => [0x42, ...sleb(value)];
const [I32_ADD, I32_AND, I32_GE_U] = [0x6a, 0x71, 0x4f];
const [I64_ADD, I64_MUL, I64_XOR, I64_SHR_U, I64_ROTL, I64_EXTEND_I32_U] = [
  0x7c, 0x7e, 0x85, 0x88, 0x89, 0xad,
];
const [BLOCK, LOOP, BR, BR_IF, END_OP, VOID] = [0x02, 0x03, 0x0c, 0x0d, 0x0b, 0x40];
const I64_LOAD = (align) => [0x29, align, 0];
const I64_LOAD8_U = [0x31, 0, 0];

/** h = rotl(h + value * prime, r) * P1, with `value` already on the stack. */
const round = (load, prime, r) => [
  ...get(H),
  ...load,
  ...i64(prime),
  I64_MUL,
  I64_ADD,
  ...i64(r),
  I64_ROTL,
  ...i64(P1),
  I64_MUL,
  ...set(H),
];
/** Runs `body` while $p < `limit`, stepping $p by `step`. */
const loop = (limit, step, body) => [
  BLOCK,
  VOID,
  LOOP,
  VOID,
  ...get(P),
  ...get(limit),
  I32_GE_U,
  BR_IF,
  1,
  ...body,
  ...get(P),
  ...i32(step),
  I32_ADD,
  ...set(P),
  BR,
  0,
  END_OP,
  END_OP,
];
/** h = (h ^ (h >> shift)) * prime, or without the product when `prime` is undefined. */
const avalanche = (shift, prime) => [
  ...get(H),
  ...get(H),
  ...i64(shift),
  I64_SHR_U,
  I64_XOR,
  ...(prime === undefined ? [] : [...i64(prime), I64_MUL, ...set(H)]),
];

const body = [
  ...get(LEN),
  I64_EXTEND_I32_U,
  ...i64(P5),
  I64_ADD,
  ...set(H),
  ...get(LEN),
  ...i32(-8),
  I32_AND,
  ...set(END),
  ...loop(END, 8, round([...get(P), ...I64_LOAD(3)], P2, 31)),
  ...loop(LEN, 1, round([...get(P), ...I64_LOAD8_U], P5, 11)),
  ...avalanche(33, P2),
  ...avalanche(29, P3),
  ...avalanche(32),
  END_OP,
];
const code = [...[0x02, 0x02, 0x7f, 0x01, 0x7e], ...body];

/** The module's bytes. */
export function hashModule() {
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([[0x60, 0x01, 0x7f, 0x01, 0x7e]])),
    ...section(3, vector([[0x00]])),
    ...section(5, vector([[0x00, 0x01]])),
    ...section(
      7,
      vector([
        [...name("memory"), 0x02, 0x00],
        [...name("hash"), 0x00, 0x00],
      ]),
    ),
    ...section(10, vector([[...uleb(code.length), ...code]])),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(Buffer.from(hashModule()).toString("base64"));
}
