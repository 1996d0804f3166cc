// In-page half of tests/bench/csv.mjs: makes the CSV, and times each side reading and
// summarising it. Both sides compute, per column: count, missing, mean, standard deviation
// (n − 1), min, quartiles, max and distinct values (Latih also a 10-bin histogram).
import init, { summarizeCsv } from './pkg/latih.js';

const wasm = await init();

/** A rows × cols numeric CSV with a header, from a fixed-seed generator (about 7 bytes a cell). */
function makeCsv(rows, cols) {
  let seed = 12345;
  const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const lines = [Array.from({ length: cols }, (_, j) => `c${j}`).join(',')];
  for (let i = 0; i < rows; i++) {
    const cells = new Array(cols);
    for (let j = 0; j < cols; j++) cells[j] = (next() * 1000 - 500).toFixed(j % 3 === 0 ? 0 : 3);
    lines.push(cells.join(','));
  }
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

function quantile(sorted, q) {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 < sorted.length ? sorted[lo] + (sorted[lo + 1] - sorted[lo]) * (h - lo) : sorted[lo];
}

/** papaparse (header row, numbers typed) and a JS summary of every column. */
function papaSummary(bytes) {
  const text = new TextDecoder().decode(bytes);
  const parsed = window.Papa.parse(text, { header: true, dynamicTyping: true, skipEmptyLines: true });
  const out = [];
  for (const name of parsed.meta.fields) {
    const values = [];
    let missing = 0;
    for (const row of parsed.data) {
      const v = row[name];
      if (typeof v === 'number' && Number.isFinite(v)) values.push(v); else missing++;
    }
    const s = Float64Array.from(values).sort();
    let sum = 0;
    for (const v of s) sum += v;
    const mean = sum / s.length;
    let ss = 0;
    for (const v of s) ss += (v - mean) * (v - mean);
    let distinct = s.length ? 1 : 0;
    for (let i = 1; i < s.length; i++) if (s[i] !== s[i - 1]) distinct++;
    out.push({ name, count: s.length, missing, mean, std: Math.sqrt(ss / (s.length - 1)), min: s[0],
      q1: quantile(s, 0.25), median: quantile(s, 0.5), q3: quantile(s, 0.75), max: s[s.length - 1], distinct });
  }
  return { columns: out.length, rows: parsed.data.length, keep: parsed };
}

const heap = () => (performance.memory ? performance.memory.usedJSHeapSize : NaN);

window.bench = {
  make(rows, cols) { window.csvBytes = makeCsv(rows, cols); return window.csvBytes.length; },
  latih() {
    const mem0 = wasm.memory.buffer.byteLength;
    const t0 = performance.now();
    const cols = summarizeCsv(window.csvBytes);
    const ms = performance.now() - t0;
    return { ms, cols, wasmMemoryGrowth: wasm.memory.buffer.byteLength - mem0, wasmMemory: wasm.memory.buffer.byteLength };
  },
  papa() {
    const h0 = heap();
    const t0 = performance.now();
    const r = papaSummary(window.csvBytes);
    const ms = performance.now() - t0;
    const retained = heap() - h0; // the parsed rows are still referenced by `r` here
    return { ms, cols: r.columns, rows: r.rows, heapGrowth: retained };
  },
};
window.benchReady = true;
