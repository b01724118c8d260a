// listening.js — what the listening screens share (issue 16, C12; docs/api.md "Listening"):
// the API's paths, an alert in words ("9 posts in 15 minutes; usually 2 at this time"), a
// query with its fault marked at its character (the editor's preview and the server's 422),
// and the small SVG charts of the dashboard, drawn here by hand, each with its figures in
// words for those who do not see it.
//
//   alertWords(alert)            {headline, detail}: what jumped, against which baseline
//   queryFault(id, query, err)   the query with the character at err.position marked
//   volumeChart(volume, step)    bars of matches per UTC hour or day, with axes and an aria-label
//   toneBar(tone)                negative / neutral / positive as one bar, its numbers beside
//   alertRow(alert)              an alert as a list's row, linking to its page

import { h } from './dom.js';

export const W = '/api/v1/partyline/watches';
export const PERIODS = { '1d': 'Last day', '7d': 'Last 7 days', '30d': 'Last 30 days' };
export const PERIOD_WORDS = { '1d': 'the day before', '7d': 'the 7 days before', '30d': 'the 30 days before' };

const SVG = 'http://www.w3.org/2000/svg';
const num = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const hourFmt = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const timeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const fmt = (n) => num.format(n);
export const when = (iso) => h('time', { datetime: iso }, timeFmt.format(new Date(iso)));
export const plural = (n, one, many = `${one}s`) => `${fmt(n)} ${n === 1 ? one : many}`;

/** An alert in words: the jump, then the baseline it jumped against. */
export function alertWords(a) {
  const b = a.baseline ?? {};
  const days = b.days === 'weekend' ? 'a weekend' : 'a working day';
  const hour = String(b.hour ?? 0).padStart(2, '0');
  return {
    headline: `${plural(a.count, 'post')} in 15 minutes; usually ${fmt(a.expected)} at this hour`,
    detail: `${fmt(a.ratio)} times what was expected. The baseline: ${days} at ${hour}:00 UTC, `
      + `a median of ${fmt(b.median_per_hour ?? 0)} an hour (spread ${fmt(b.mad_per_hour ?? 0)}) `
      + `over ${plural(b.samples ?? 0, 'day')}.`
      + (a.today != null && Math.abs(a.today - 1) >= 0.05 ? ` Today runs at ${fmt(a.today)} times the usual level.` : ''),
  };
}

/**
 * A query with the character at err.position (1-based, counted in characters; one past the
 * end for "ends too soon") marked, and the reason beside it: the element whose id a field's
 * aria-describedby names.
 */
export function queryFault(id, query, err) {
  const chars = Array.from(query);
  const at = Math.max(1, Math.min(err.position ?? 1, chars.length + 1)) - 1;
  const before = chars.slice(0, at).join('');
  const here = chars[at];
  const after = chars.slice(at + 1).join('');
  // no live region: a half-typed query would be announced at every key; the field is
  // described by it (and focused with it after a refused save)
  return h('div', { class: 'query-fault', id },
    h('p', { class: 'error' }, `At character ${at + 1}: ${err.reason}`),
    h('p', { class: 'query-at', 'aria-hidden': 'true' },
      h('code', {}, before,
        h('mark', { class: here === undefined ? 'end' : null }, here === undefined || here === ' ' ? '\u2423' : here),
        after)));
}

function svgEl(tag, attrs = {}, text = null) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text != null) el.textContent = text;
  return el;
}

/** The volume as bars (one a step), the count on the vertical axis, the times below. */
export function volumeChart(volume, step) {
  // UTC hours or days, the first from the period's start, the last to now: each named by its
  // start (a day by its UTC date: the server counts days in UTC)
  const label = (v) => (step === 'hour' ? hourFmt : dayFmt).format(new Date(v.at));
  const max = Math.max(1, ...volume.map((v) => v.matches));
  const total = volume.reduce((s, v) => s + v.matches, 0);
  const W0 = 600, H0 = 190, L = 46, R = 8, T = 12, B = 30;
  const figures = volume.map((v) => `${label(v)}: ${v.matches}`).join('; ');
  const svg = svgEl('svg', {
    viewBox: `0 0 ${W0} ${H0}`, class: 'listen-chart', role: 'img',
    'aria-label': `Matches per ${step === 'day' ? 'day (UTC)' : step}, the last to now, ${plural(total, 'match', 'matches')} in all. ${figures}.`,
  });
  const y = (n) => T + ((max - n) * (H0 - T - B)) / max;
  for (const n of [0, max]) {
    svg.append(svgEl('line', { x1: L, x2: W0 - R, y1: y(n), y2: y(n), class: 'grid' }));
    svg.append(svgEl('text', { x: L - 6, y: y(n), 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'axis' }, String(n)));
  }
  const slot = (W0 - L - R) / Math.max(1, volume.length);
  volume.forEach((v, i) => {
    const bar = svgEl('rect', {
      x: (L + i * slot + slot * 0.15).toFixed(1), width: Math.max(1, slot * 0.7).toFixed(1),
      y: y(v.matches).toFixed(1), height: (y(0) - y(v.matches)).toFixed(1), class: 'vol-bar',
    });
    bar.append(svgEl('title', {}, `${label(v)}: ${v.matches}`));
    svg.append(bar);
  });
  if (volume.length) {
    svg.append(svgEl('text', { x: L, y: H0 - 8, 'text-anchor': 'start', class: 'axis' }, label(volume[0])));
    svg.append(svgEl('text', { x: W0 - R, y: H0 - 8, 'text-anchor': 'end', class: 'axis' }, label(volume.at(-1))));
  }
  return svg;
}

const TONES = [['negative', 'Negative'], ['neutral', 'Neutral'], ['positive', 'Positive']];

/** The tone split as one bar of three parts, and the numbers in a list beside it. */
export function toneBar(tone) {
  const total = TONES.reduce((s, [k]) => s + (tone[k] ?? 0), 0);
  const words = TONES.map(([k, name]) => `${fmt(tone[k] ?? 0)} ${name.toLowerCase()}`).join(', ');
  const svg = svgEl('svg', { viewBox: '0 0 300 16', preserveAspectRatio: 'none', class: 'tone-bar', role: 'img', 'aria-label': `Tone: ${words}` });
  let x = 0;
  for (const [k] of TONES) {
    const w = total ? (300 * (tone[k] ?? 0)) / total : 0;
    if (w > 0) svg.append(svgEl('rect', { x: x.toFixed(1), y: 0, width: w.toFixed(1), height: 16, class: `tone-${k}` }));
    x += w;
  }
  if (!total) svg.append(svgEl('rect', { x: 0, y: 0, width: 300, height: 16, class: 'tone-none' }));
  return h('div', { class: 'tone' }, svg,
    h('ul', { class: 'tone-legend', 'aria-label': 'Tone' }, TONES.map(([k, name]) =>
      h('li', {}, h('span', { class: `swatch tone-${k}`, 'aria-hidden': 'true' }), `${name} ${fmt(tone[k] ?? 0)}`))));
}

/** An alert as a row of a list: its words, its time, a link to its page. */
export function alertRow(a) {
  const words = alertWords(a);
  return h('li', { class: 'card alert-row', 'data-id': a.id },
    h('p', {}, h('a', { href: `#/alert/${encodeURIComponent(a.id)}` }, `${a.watch_title}: ${words.headline}`)),
    h('p', { class: 'muted' }, when(a.window_end), a.ticket_id ? ' · has a ticket' : ''));
}
