// Runs inside the desktop extension host (see ../run.mjs).
const assert = require('node:assert/strict');
const vscode = require('vscode');

async function run() {
  const ext = vscode.extensions.all.find((e) => e.packageJSON.name === 'artifacts');
  assert.ok(ext, 'the extension is loaded');
  await vscode.commands.executeCommand('artifacts.refresh');
  assert.equal(ext.isActive, true, 'running a command activates it');
  // The version logged by the CLI is readable through the artifact: file system.
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.parse('artifact:/desk/top/ds/v0/a.txt'));
  assert.equal(Buffer.from(bytes).toString('utf8'), 'hello');
  const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.parse('artifact:/desk/top/ds/v0'));
  assert.deepEqual(entries, [['a.txt', vscode.FileType.File]]);
}

module.exports = { run };
