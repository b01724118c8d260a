// blurhash.test.mjs — web/js/blurhash.js in node (no browser, no server): malformed hashes
// answer null and never throw; a one-component hash is its average colour everywhere; the
// decoded average of a full hash is its DC component. The in-page check against a real
// picture's average colour is in media.test.mjs.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { blurhashFactors, decodeBlurhash, linearToSrgb, srgbToLinear } from '../../web/js/blurhash.js';

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~';
const put83 = (v, n) => Array.from({ length: n }, (_, i) => DIGITS[Math.floor(v / 83 ** (n - 1 - i)) % 83]).join('');

/** The mean colour of RGBA pixels, averaged in linear light. */
function mean(px) {
  const sum = [0, 0, 0];
  for (let i = 0; i < px.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += srgbToLinear(px[i + c]);
  return sum.map((s) => linearToSrgb(s / (px.length / 4)));
}

test('malformed hashes answer null', () => {
  for (const bad of [undefined, null, 42, '', 'L', '00000', '0000000', 'LEHV6nWB2yk8pyo0adR*.7kCMdn', 'LEHV6nWB2yk8pyo0adR*.7kCMdnjX', 'LEHV6nWB2yk8pyo0adR*.7kCMdn"', '00\u00e9000']) {
    assert.equal(decodeBlurhash(bad, 8, 8), null, `${JSON.stringify(bad)}`);
  }
  assert.equal(decodeBlurhash('LEHV6nWB2yk8pyo0adR*.7kCMdnj', 0, 8), null, 'no pixels');
  assert.equal(decodeBlurhash('LEHV6nWB2yk8pyo0adR*.7kCMdnj', 5000, 5000), null, 'too many pixels');
  // an AC digit pair past 19³ is not a colour
  assert.equal(decodeBlurhash(`1${put83(0, 1)}${put83(0, 4)}~~`, 4, 4), null);
});

test('a hash of the average colour alone paints that colour', () => {
  const hash = `00${put83((0x12 << 16) | (0x9a << 8) | 0xf0, 4)}`;
  const px = decodeBlurhash(hash, 7, 5);
  assert.equal(px.length, 7 * 5 * 4);
  for (let i = 0; i < px.length; i += 4) assert.deepEqual([...px.subarray(i, i + 4)], [0x12, 0x9a, 0xf0, 255]);
});

test('the decoded picture averages to the hash\'s DC component', () => {
  for (const hash of ['LEHV6nWB2yk8pyo0adR*.7kCMdnj', 'LKO2?U%2Tw=w]~RBVZRi};RPxuwH', 'UBMOZfK1GG%LBBNG,;Rj2skq=eE1s9n4S5Na']) {
    const f = blurhashFactors(hash);
    assert.ok(f, hash);
    const dc = f.factors[0].map(linearToSrgb);
    const got = mean(decodeBlurhash(hash, 64, 48));
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(got[c] - dc[c]) <= 6, `${hash}: ${got} ~ ${dc}`);
  }
});
