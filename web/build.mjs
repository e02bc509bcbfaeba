// Builds the page into a directory of static files that `sitrep serve` serves:
//   node build.mjs [--out DIR] [--modules NODE_MODULES_DIR] [--dev]
// DIR (default web/dist) receives index.html, style.css, app.js (src/main.js and the d3
// modules it imports, bundled by esbuild) and data/ (the oblast GeoJSON). The npm
// packages may live outside the source tree (the CMake build installs them into
// ${CMAKE_BINARY_DIR}/web-build): --modules names their node_modules directory.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? path.resolve(args[i + 1]) : fallback;
}
const out = option('--out', path.join(here, 'dist'));
const modules = option('--modules', path.join(here, 'node_modules'));
const dev = args.includes('--dev');

if (!fs.existsSync(path.join(modules, 'esbuild'))) {
  console.error(`build.mjs: no esbuild in ${modules}; run npm ci first`);
  process.exit(1);
}
const require = createRequire(path.join(modules, '..', 'package.json'));
const esbuild = require('esbuild');

fs.mkdirSync(path.join(out, 'data'), { recursive: true });
const result = await esbuild.build({
  entryPoints: [path.join(here, 'src', 'main.js')],
  outfile: path.join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  target: ['es2020'],
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  nodePaths: [modules],
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
function copy(from, to) {
  fs.rmSync(to, { force: true });  // the source may be read-only, and so its last copy
  fs.copyFileSync(from, to);
}
for (const file of ['index.html', 'style.css']) copy(path.join(here, file), path.join(out, file));
for (const file of fs.readdirSync(path.join(here, 'data'))) {
  copy(path.join(here, 'data', file), path.join(out, 'data', file));
}

// The licences of the npm packages bundled into app.js, next to it.
const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
  if (m) packages.add(path.resolve(m[1]));
}
const notices = [...packages].sort().map((dir) => {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  const text = file ? fs.readFileSync(path.join(dir, file), 'utf8').trim() : `License: ${pkg.license}`;
  return `${pkg.name} ${pkg.version} (${pkg.license})\n\n${text}\n`;
});
fs.writeFileSync(path.join(out, 'LICENSES.txt'),
  'app.js bundles these npm packages:\n\n' + notices.join('\n' + '-'.repeat(72) + '\n\n'));
const bytes = fs.statSync(path.join(out, 'app.js')).size;
console.log(`web: built ${out} (app.js ${(bytes / 1024).toFixed(0)} KB, ${packages.size} packages)`);
