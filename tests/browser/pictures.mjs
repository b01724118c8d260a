// pictures.mjs — PNG pictures made in the test itself (no file on disk, no tool): solid,
// two halves, noise. The browser tests of files use them.

import { randomBytes } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/** CRC-32 as PNG chunks use it. */
function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A PNG of w×h whose pixel (x, y) is colour(x, y) = [r, g, b]. */
export function png(w, h, colour) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = Buffer.alloc(h * (1 + 3 * w));
  for (let y = 0; y < h; y++) {
    const o = y * (1 + 3 * w);
    for (let x = 0; x < w; x++) {
      const [r, g, b] = colour(x, y);
      rows[o + 1 + 3 * x] = r;
      rows[o + 2 + 3 * x] = g;
      rows[o + 3 + 3 * x] = b;
    }
  }
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

export const solid = (rgb, w = 96, h = 64) => png(w, h, () => rgb);
/** Left half one colour, right half another: a picture whose BlurHash has AC components. */
export const halves = (a, b, w = 120, h = 80) => png(w, h, (x) => (x < w / 2 ? a : b));
/** Noise: a picture that does not compress, so an upload takes a while. */
export const noisy = (w, h) => {
  const bytes = randomBytes(w * h * 3);
  return png(w, h, (x, y) => { const o = 3 * (y * w + x); return [bytes[o], bytes[o + 1], bytes[o + 2]]; });
};

/** A WAV of a short silence: libmagic calls it audio. */
export function wav(samples = 800) {
  const b = Buffer.alloc(44 + samples * 2);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + samples * 2, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); // PCM
  b.writeUInt16LE(1, 22); // mono
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36);
  b.writeUInt32LE(samples * 2, 40);
  return b;
}

/** The start of an MP4 (an ftyp box and an empty mdat): libmagic calls it video/mp4. */
export function mp4() {
  const ftyp = Buffer.alloc(32);
  ftyp.writeUInt32BE(32, 0);
  ftyp.write('ftypisom', 4);
  ftyp.writeUInt32BE(0x200, 12);
  ftyp.write('isomiso2avc1mp41', 16);
  const mdat = Buffer.alloc(16);
  mdat.writeUInt32BE(16, 0);
  mdat.write('mdat', 4);
  return Buffer.concat([ftyp, mdat]);
}
