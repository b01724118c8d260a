// blurhash.js — decodes a BlurHash (the MediaAttachment's `blurhash`) into pixels, written
// from the published description of the algorithm (the server's encoder is
// src/pictures/blurhash.c): the hash is the first few coefficients of a 2-D cosine transform
// of the picture in linear light; decoding sums those cosines back at each pixel.
//
//   const rgba = decodeBlurhash(hash, 32, 32);   // Uint8ClampedArray of 32×32×4, or null
//   paintBlurhash(canvas, hash);                 // draws it (canvas.width × canvas.height)
//
// A hash is untrusted input (it comes with a post): anything malformed answers null and
// paints nothing; it never throws.
//
// Layout: digit 0 = (x components − 1) + 9 × (y components − 1); digit 1 = the largest AC
// magnitude, quantised; digits 2–5 = the average colour (DC) as 24-bit sRGB; then 2 digits
// per AC component, each channel one of 19 levels through a signed square.

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~';
const VALUE = new Map([...DIGITS].map((c, i) => [c, i]));

/** The base-83 number written by hash[from, to), or NaN for a digit outside the alphabet. */
function base83(hash, from, to) {
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = VALUE.get(hash[i]);
    if (d === undefined) return NaN;
    v = v * 83 + d;
  }
  return v;
}

const TO_LINEAR = Array.from({ length: 256 }, (_, v) => {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
});

export function srgbToLinear(v) {
  return TO_LINEAR[Math.max(0, Math.min(255, Math.round(v)))];
}

export function linearToSrgb(v) {
  const c = Math.max(0, Math.min(1, v));
  return Math.round(c <= 0.0031308 ? c * 12.92 * 255 : (1.055 * c ** (1 / 2.4) - 0.055) * 255);
}

/** The hash's coefficients: {nx, ny, factors: [[r, g, b] in linear light, …]}, or null. */
export function blurhashFactors(hash) {
  if (typeof hash !== 'string' || hash.length < 6) return null;
  const size = base83(hash, 0, 1);
  if (Number.isNaN(size)) return null;
  const nx = (size % 9) + 1;
  const ny = Math.floor(size / 9) + 1;
  if (hash.length !== 4 + 2 * nx * ny) return null;
  const maxAc = (base83(hash, 1, 2) + 1) / 166;
  const dc = base83(hash, 2, 6);
  if (Number.isNaN(maxAc) || Number.isNaN(dc)) return null;
  const factors = [[srgbToLinear(dc >> 16), srgbToLinear((dc >> 8) & 255), srgbToLinear(dc & 255)]];
  const level = (q) => { const v = (q - 9) / 9; return Math.sign(v) * v * v * maxAc; };
  for (let k = 1; k < nx * ny; k++) {
    const v = base83(hash, 4 + 2 * k, 6 + 2 * k);
    if (Number.isNaN(v) || v >= 19 * 19 * 19) return null;
    factors.push([level(Math.floor(v / 361)), level(Math.floor(v / 19) % 19), level(v % 19)]);
  }
  return { nx, ny, factors };
}

/**
 * The picture a hash stands for, width × height RGBA (opaque), or null for a malformed hash.
 * punch (> 1) strengthens the contrast, as other decoders allow; 1 is the hash as made.
 */
export function decodeBlurhash(hash, width, height, punch = 1) {
  const f = blurhashFactors(hash);
  if (!f || !(width > 0) || !(height > 0) || width * height > 1 << 20) return null;
  const { nx, ny, factors } = f;
  const scale = Math.max(1, punch);
  const cosX = new Float64Array(width * nx);
  for (let x = 0; x < width; x++) for (let i = 0; i < nx; i++) cosX[x * nx + i] = Math.cos((Math.PI * i * x) / width);
  const cosY = new Float64Array(height * ny);
  for (let y = 0; y < height; y++) for (let j = 0; j < ny; j++) cosY[y * ny + j] = Math.cos((Math.PI * j * y) / height);
  const out = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r = 0; let g = 0; let b = 0;
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const w = cosX[x * nx + i] * cosY[y * ny + j];
          const c = factors[j * nx + i];
          const s = i || j ? scale : 1;
          r += c[0] * w * s; g += c[1] * w * s; b += c[2] * w * s;
        }
      }
      const p = (y * width + x) * 4;
      out[p] = linearToSrgb(r);
      out[p + 1] = linearToSrgb(g);
      out[p + 2] = linearToSrgb(b);
      out[p + 3] = 255;
    }
  }
  return out;
}

/** Paints a hash over the whole canvas; answers whether it could. */
export function paintBlurhash(canvas, hash) {
  const { width, height } = canvas;
  const pixels = decodeBlurhash(hash, width, height);
  const ctx = pixels && canvas.getContext('2d');
  if (!ctx) return false;
  ctx.putImageData(new ImageData(pixels, width, height), 0, 0);
  return true;
}
