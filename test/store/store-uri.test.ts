/** openStore: which store a location string names, and the one-line errors for bad ones (no servers needed). */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError, isUserError } from '../../src/core/errors';
import { AzureBlobStore } from '../../src/store/azure-store';
import { LocalObjectStore } from '../../src/store/local-store';
import { S3ObjectStore } from '../../src/store/s3-store';
import { openStore } from '../../src/store/store-uri';

const NO_ENV = {};

describe('openStore', () => {
  it('a plain path or a file:// URL is a folder', () => {
    const rel = openStore('some/reg', NO_ENV);
    expect(rel).toBeInstanceOf(LocalObjectStore);
    expect(rel.location).toBe(path.resolve('some/reg'));
    expect(rel.local?.root).toBe(path.resolve('some/reg'));
    const url = openStore(pathToFileURL('/tmp/reg x').href, NO_ENV);
    expect(url.location).toBe(path.resolve('/tmp/reg x'));
  });

  it('s3://bucket/prefix with endpoint, region and path style from the query', () => {
    const s = openStore('s3://my-bucket/team/reg/?endpoint=http://127.0.0.1:7480&region=eu-west-1&forcePathStyle=true', NO_ENV) as S3ObjectStore;
    expect(s).toBeInstanceOf(S3ObjectStore);
    expect(s.bucket).toBe('my-bucket');
    expect(s.prefix).toBe('team/reg/');
    expect(s.location).toBe('s3://my-bucket/team/reg?endpoint=http://127.0.0.1:7480');
    expect((s as { local?: unknown }).local).toBeUndefined();
  });

  it('s3:// takes the endpoint from ARTIFACTS_S3_ENDPOINT, and a bucket alone has no prefix', () => {
    const s = openStore('s3://bucket', { ARTIFACTS_S3_ENDPOINT: 'http://127.0.0.1:9000', AWS_REGION: 'us-east-1' }) as S3ObjectStore;
    expect(s.prefix).toBe('');
    expect(s.location).toBe('s3://bucket?endpoint=http://127.0.0.1:9000');
    expect((openStore('s3://bucket/a%20b', NO_ENV) as S3ObjectStore).prefix).toBe('a b/');
  });

  it('azure://account/container/prefix', () => {
    const s = openStore('azure://devstoreaccount1/reg/team?endpoint=http://127.0.0.1:10000/devstoreaccount1', { AZURE_STORAGE_KEY: 'a2V5' }) as AzureBlobStore;
    expect(s).toBeInstanceOf(AzureBlobStore);
    expect(s.prefix).toBe('team/');
    expect(s.container.containerName).toBe('reg');
    expect(s.location).toBe('azure://devstoreaccount1/reg/team?endpoint=http://127.0.0.1:10000/devstoreaccount1');
    // No key, SAS or connection string: DefaultAzureCredential, built without any I/O.
    expect(openStore('azure://acct123/cc1', NO_ENV).location).toBe('azure://acct123/cc1');
  });

  const bad: [string, RegExp, Record<string, string>?][] = [
    ['', /empty/],
    ['s3://', /no bucket/],
    ['s3://Bad_Bucket/x', /not a valid bucket name/],
    ['s3://ab/x', /not a valid bucket name/],
    ['s3://bucket:9000/x', /no port/],
    ['s3://AKIAEXAMPLE:sekrit-value@bucket/x', /credentials do not belong/],
    ['s3://bucket/x?secret=sekrit-value', /unknown parameter "secret"/],
    ['s3://bucket/a/../b', /empty, "\." or "\.\." segment/],
    ['s3://bucket/a//b', /empty, "\." or "\.\." segment/],
    ['s3://bucket/x?endpoint=ftp://host', /endpoint must be an http/],
    ['s3://bucket/x?endpoint=http://u:sekrit-value@host', /endpoint must not hold credentials/],
    ['s3://bucket/x?forcePathStyle=maybe', /forcePathStyle must be true or false/],
    ['s3://bucket/x', /ARTIFACTS_S3_ENDPOINT is not a URL/, { ARTIFACTS_S3_ENDPOINT: 'nope' }],
    ['s3://bucket/x?region=EU%20West', /not a valid region/],
    ['gs://bucket/x', /unsupported scheme "gs:\/\/"/],
    ['azure://acct', /no container/],
    ['azure://Acct_1/c', /not a valid storage account name/],
    ['azure://acct/Container/x', /not a valid container name/],
    ['azure://acct/con--tainer/x', /not a valid container name/],
    ['azure://acct/cc1/x?sv=2024-01-01&sig=sekrit-value', /SAS token does not belong/],
    ['azure://acct/cc1/x', /AZURE_STORAGE_CONNECTION_STRING is for the account "other"/, { AZURE_STORAGE_CONNECTION_STRING: 'AccountName=other;AccountKey=sekrit-value' }],
  ];
  for (const [location, message, env] of bad) {
    it(`refuses ${JSON.stringify(location)} with one line`, () => {
      let error: unknown;
      try {
        openStore(location, env ?? NO_ENV);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect(isUserError(error)).toBe(true);
      const text = (error as Error).message;
      expect(text).toMatch(message);
      expect(text).not.toContain('\n');
      expect(text).not.toContain('sekrit-value');
    });
  }
});
