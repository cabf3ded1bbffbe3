// Fails when the library's folders import each other in a cycle (libs/mcp-oauth/src/<folder>/...).
// Every relative import, type-only ones included, is an edge from the importing file's folder to the imported one;
// files at the top of src/ form the folder ".". Usage: node scripts/check-folder-cycles.mjs [src dir]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const root = resolve(process.argv[2] ?? 'libs/mcp-oauth/src');

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

const folderOf = (file) => relative(root, dirname(file)).split(sep)[0] || '.';
const edges = new Map();
for (const file of sourceFiles(root)) {
  const from = folderOf(file);
  for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const to = folderOf(resolve(dirname(file), fileName));
    if (to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    edges.get(from).set(to, `${relative(root, file)} -> ${fileName}`);
  }
}

// Depth-first search for a back edge; reports the first cycle found with one import per step.
const state = new Map();
function visit(folder, path) {
  state.set(folder, 'open');
  for (const [next, example] of edges.get(folder) ?? []) {
    if (state.get(next) === 'open') {
      const cycle = [...path.slice(path.findIndex((step) => step.folder === next)), { folder, example }];
      return cycle;
    }
    if (!state.has(next)) {
      const found = visit(next, [...path, { folder, example }]);
      if (found) return found;
    }
  }
  state.set(folder, 'done');
  return undefined;
}

for (const folder of edges.keys()) {
  if (state.has(folder)) continue;
  const cycle = visit(folder, []);
  if (cycle) {
    console.error(`Folder import cycle in ${relative(process.cwd(), root)}:`);
    for (const step of cycle) console.error(`  ${step.folder}/  (${step.example})`);
    process.exit(1);
  }
}
const folders = new Set([...edges.keys(), ...[...edges.values()].flatMap((targets) => [...targets.keys()])]);
console.log(`No folder import cycle among ${folders.size} folders of ${relative(process.cwd(), root)}.`);
