// Trunk post-build hook: pins the page's one inline script (trunk's loader) by its SHA-256 in a
// strict Content-Security-Policy meta tag, added to the staged index.html. The policy: only
// this origin's files; wasm may compile ('wasm-unsafe-eval', never 'unsafe-eval'); no inline
// script but the pinned loader; no plugins; nothing posted anywhere.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('csp.mjs runs as a trunk post_build hook (TRUNK_STAGING_DIR is not set)');
const file = path.join(dir, 'index.html');
let html = fs.readFileSync(file, 'utf8');
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map((m) => `'sha256-${crypto.createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
export const POLICY = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "style-src 'self'",
  // plotters measures text with a styled <span> (style attribute set from wasm): style
  // attributes only, never <style> elements or any script.
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
html = html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\s*/g, '');
html = html.replace('<head>', `<head>\n  <meta http-equiv="Content-Security-Policy" content="${POLICY}">`);
fs.writeFileSync(file, html);
