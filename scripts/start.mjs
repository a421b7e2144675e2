// npm start: build, prepare the demo registry and workspace, and open them.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { prepareDemo } from './demo-data.mjs';

const { registry, workspace } = prepareDemo();
const cli = path.relative(process.cwd(), path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'dist', 'cli.js'));
console.log(`Demo registry: ${registry}`);
console.log(`Demo workspace: ${workspace}\n`);
console.log(execFileSync(process.execPath, [cli, '--registry', registry, '--entity', 'demo', '--project', 'vision', 'ls']).toString());
console.log(`Try:\n  ARTIFACTS_REGISTRY=${registry} node ${cli} --entity demo --project vision show animals:best`);
