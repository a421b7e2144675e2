import { describe, expect, it } from 'vitest';
import { URI } from 'vscode-uri';
import { artifactUri, parseArtifactUri, SCHEME } from '../../../src/extension/fs/artifact-uri';

/** build → toString() → parse (as VS Code hands a URI back) → the same version and path. */
function roundTrip(version: string, path: string) {
  const text = artifactUri(version, path).toString();
  return { text, ref: parseArtifactUri(URI.parse(text)) };
}

describe('artifact: URIs (vscode-uri, no VS Code)', () => {
  it('round-trips odd names through toString() and parse', () => {
    const cases: Array<[string, string]> = [
      ['alice/vision/animals:v3', 'train/a.csv'],
      ['alice/vision/animals:v0', ''],
      ['alice/vision/my data #1:v12', 'folder with spaces/file #2 100%?.txt'],
      ['alice/vision/100% done?:v1', 'a%20b/%2F%25.bin'],
      ['alice/vision/données:v2', 'été/日本語/ü.json'],
      ['alice/vision/v2:v1', 'v3/v4'], // a collection and folders named like versions
      ['alice/vision/c:v1', 'q?x=1&y=2#frag'],
    ];
    for (const [version, path] of cases) {
      const { text, ref } = roundTrip(version, path);
      expect(text.startsWith(`${SCHEME}:/`)).toBe(true);
      expect(text).not.toMatch(/[ #?]/); // encoded, so no part of a name reads as a query or fragment
      expect(ref).toEqual({ version, path });
    }
  });

  it('keeps each name one path segment, so the tab title is the plain file name', () => {
    const u = artifactUri('alice/vision/animals:v3', 'train/my file #1.csv');
    expect(u.path).toBe('/alice/vision/animals/v3/train/my file #1.csv');
    expect(u.query).toBe('');
    expect(u.fragment).toBe('');
  });

  it('refuses . and .. segments both ways, and URIs that name no version', () => {
    expect(() => artifactUri('alice/vision/animals:v1', '../../etc/passwd')).toThrow(/Invalid path/);
    expect(() => artifactUri('alice/vision/animals:v1', 'a/./b')).toThrow(/Invalid path/);
    expect(() => artifactUri('alice/vision/animals:v1', 'a//b')).toThrow(/Invalid path/);
    expect(() => artifactUri('alice/../animals:v1', 'a')).toThrow(/Not a qualified version/);
    expect(() => artifactUri('animals:v1', 'a')).toThrow(/Not a qualified version/);
    expect(() => artifactUri('alice/vision/animals:latest', 'a')).toThrow(/Not a qualified version/);
    expect(parseArtifactUri(URI.parse('artifact:/alice/vision/animals/v1/../../../x'))).toBeUndefined();
    expect(parseArtifactUri(URI.parse('artifact:/alice/vision/animals/v1/a/%2E%2E/b'))).toBeUndefined();
    expect(parseArtifactUri(URI.parse('artifact:/alice/vision/animals/latest/a'))).toBeUndefined();
    expect(parseArtifactUri(URI.parse('artifact:/alice/vision/animals'))).toBeUndefined();
    expect(parseArtifactUri(URI.parse('file:///alice/vision/animals/v1/a'))).toBeUndefined();
    expect(parseArtifactUri(URI.parse('artifact:/alice/vision/animals/v1/dir/'))).toEqual({ version: 'alice/vision/animals:v1', path: 'dir' });
  });
});
