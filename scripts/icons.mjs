// Renders www/icon.svg to the PNG icons the web app manifest lists (192 and 512 px, and a
// maskable 512 px one with the safe-zone padding phones crop to), with headless Chromium.
// Run once when the icon changes: node scripts/icons.mjs (from the repository root, after
// scripts/setup.sh); the PNGs are committed beside the SVG.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = createRequire(path.join(root, 'tests', 'package.json'))('playwright-core');
const svg = fs.readFileSync(path.join(root, 'www', 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const [name, size, pad, background] of [['icon-192.png', 192, 0, 'transparent'], ['icon-512.png', 512, 0, 'transparent'], ['icon-maskable-512.png', 512, 0.1, '#0072b2']]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const inner = Math.round(size * (1 - 2 * pad));
  await page.setContent(`<body style="margin:0;background:${background};display:grid;place-items:center;height:${size}px">
    <img src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}" width="${inner}" height="${inner}"></body>`);
  await page.screenshot({ path: path.join(root, 'www', name), omitBackground: background === 'transparent' });
  await page.close();
}
await browser.close();
