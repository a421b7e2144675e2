import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors';
import { formatTtl, parseTtl, validateTtl } from '../../src/core/ttl';
import {
  validateAliases,
  validateArtifactName,
  validateLogicalPath,
  validateMetadata,
  validateProjectName,
  validateTags,
  validateType,
} from '../../src/core/validate';

describe('artifact names', () => {
  it('accepts W&B names', () => {
    for (const n of ['mnist', 'my-data_v2.1', 'A', 'a'.repeat(128)]) expect(validateArtifactName(n)).toBe(n);
  });
  it('rejects other characters with the rule in the message', () => {
    expect(() => validateArtifactName('my data')).toThrow(/alphanumeric characters, dashes, underscores, and dots/);
    expect(() => validateArtifactName('a/b')).toThrow(ValidationError);
    expect(() => validateArtifactName('a:b')).toThrow(ValidationError);
    expect(() => validateArtifactName('')).toThrow(/empty/);
    expect(() => validateArtifactName('..')).toThrow(ValidationError);
  });
  it('cuts a long name to 128 characters plus " ..." in the message', () => {
    const long = 'x'.repeat(200);
    expect(() => validateArtifactName(long)).toThrow(`${'x'.repeat(128)} ...`);
  });
});

describe('types', () => {
  it('rejects reserved types', () => {
    expect(() => validateType('wandb-history', 'a')).toThrow(/reserved for internal use/);
    expect(() => validateType('job', 'anything')).toThrow(/reserved/);
    expect(() => validateType('run_table', 'run-abc')).toThrow(/reserved/);
    expect(() => validateType('code', 'source-x')).toThrow(/reserved/);
  });
  it('allows the same types for other names', () => {
    expect(validateType('run_table', 'table')).toBe('run_table');
    expect(validateType('code', 'mycode')).toBe('code');
    expect(validateType('dataset', 'a')).toBe('dataset');
  });
});

describe('aliases', () => {
  it('forbids / and :', () => {
    expect(() => validateAliases(['a/b'])).toThrow(/'\/', ':'/);
    expect(() => validateAliases(['a:b'])).toThrow(ValidationError);
  });
  it('refuses managed vN aliases and, where asked, latest', () => {
    expect(() => validateAliases(['v3'])).toThrow(/reserved/);
    expect(validateAliases(['v', 'v1a', 'version'])).toEqual(['v', 'v1a', 'version']);
    expect(validateAliases(['latest'])).toEqual(['latest']);
    expect(() => validateAliases(['latest'], { allowLatest: false })).toThrow(/managed/);
  });
  it('dedupes', () => {
    expect(validateAliases(['best', 'best', 'prod'])).toEqual(['best', 'prod']);
  });
});

describe('tags', () => {
  it('follows the Unicode word rule', () => {
    expect(validateTags(['a', 'with space', 'dash-ok', 'naïve', '日本語', 'x_1'])).toEqual(['a', 'with space', 'dash-ok', 'naïve', '日本語', 'x_1']);
    for (const bad of ['!invalid-tag:with-punctuation', '', ' ', 'trailing space ', ' leading', 'a.b']) {
      expect(() => validateTags([bad]), bad).toThrow(/Invalid tag/);
    }
  });
  it('dedupes keeping the first occurrence', () => {
    expect(validateTags(['b', 'a', 'b'])).toEqual(['b', 'a']);
  });
});

describe('metadata', () => {
  it('turns NaN into null and refuses Infinity', () => {
    expect(validateMetadata({ a: NaN, b: [1, NaN] })).toEqual({ a: null, b: [1, null] });
    expect(() => validateMetadata({ a: Infinity })).toThrow(/Infinity/);
    expect(() => validateMetadata({ a: { b: -Infinity } })).toThrow(/Infinity/);
  });
  it('accepts JSON strings and empty values', () => {
    expect(validateMetadata('{"x": 1}')).toEqual({ x: 1 });
    expect(validateMetadata('')).toEqual({});
    expect(validateMetadata(null)).toEqual({});
    expect(() => validateMetadata('{nope')).toThrow(/not valid JSON/);
    expect(() => validateMetadata('[1]')).toThrow(/JSON object/);
  });
  it('allows 100 top-level keys, not 101', () => {
    const make = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(validateMetadata(make(100)))).toHaveLength(100);
    expect(() => validateMetadata(make(101))).toThrow(/101 top-level keys; at most 100/);
  });
});

describe('TTL', () => {
  it('parses durations, none and inherit', () => {
    expect(parseTtl('30d')).toBe(30 * 86400);
    expect(parseTtl('12h')).toBe(12 * 3600);
    expect(parseTtl('1d12h')).toBe(36 * 3600);
    expect(parseTtl('none')).toBeNull();
    expect(parseTtl('inherit')).toBe('inherit');
    expect(formatTtl(36 * 3600)).toBe('1d12h');
  });
  it('refuses zero, negative and unknown durations', () => {
    for (const bad of ['0d', '-1d', '3 days', 'soon', '']) expect(() => parseTtl(bad), bad).toThrow(ValidationError);
    expect(() => validateTtl(0)).toThrow(/positive/);
    expect(validateTtl(1.9)).toBe(1);
  });
});

describe('logical paths', () => {
  it('normalises like PurePosixPath', () => {
    expect(validateLogicalPath('a//b/./c/')).toBe('a/b/c');
    expect(validateLogicalPath('dir\\file', { windows: true })).toBe('dir/file');
    expect(validateLogicalPath('dir\\file', { windows: false })).toBe('dir\\file');
  });
  it('rejects empty, ., absolute, drive, UNC and .. paths', () => {
    for (const bad of ['', '.', './', '/x', '//x', 'C:\\x', 'C:x', '\\x', '//server/share', '..', 'a/../b', 'a/..', '..\\x', 'a\\..\\b']) {
      expect(() => validateLogicalPath(bad, { windows: false }), bad).toThrow(ValidationError);
    }
  });
});

describe('project names', () => {
  it('forbids / \\ # ? % : and newlines', () => {
    expect(validateProjectName('my-project')).toBe('my-project');
    for (const bad of ['a/b', 'a\\b', 'a#b', 'a?b', 'a%b', 'a:b', 'a\nb', '']) expect(() => validateProjectName(bad), bad).toThrow(ValidationError);
  });
});

describe('isSafeLogicalPath (manifest paths before they touch the disk)', async () => {
  const { isSafeLogicalPath } = await import('../../src/core/validate');
  it('accepts plain relative paths, including dots inside names', () => {
    for (const ok of ['a', 'a/b.txt', '.hidden', 'a/.b/c', '...', 'a/..b', 'x..', 'C', 'dir/C/x']) expect(isSafeLogicalPath(ok), ok).toBe(true);
  });
  it('refuses traversal, absolute, drive, UNC, backslash tricks and unnormalised paths', () => {
    for (const bad of ['', '.', '..', '../x', 'a/../b', 'a/..', '/x', '//srv/share', 'C:\\x', 'C:x', '\\x', 'a\\..\\b', 'a//b', 'a/./b', 'a/', 'a\0b']) {
      expect(isSafeLogicalPath(bad), JSON.stringify(bad)).toBe(false);
    }
  });
});
