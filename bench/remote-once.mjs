// Timed operations against a real S3 server (Ceph on 127.0.0.1), each in a process of its own, for
// the remote cases of bench/remote.mjs. Credentials come from the environment (AWS_*).
// Each side loads its library and makes one request first (SDK loaded, connection open), untimed.
//   log      LOCATION FOLDER CACHE               → {"ms","addMs"}  log FOLDER as bench-data (ours): the
//                                                   log timed (its upload and commit); adding the files (hashing) apart
//   download LOCATION REF DEST CACHE             → {"ms","written"}  first download, empty cache (ours)
//   push     LOCATION REF AS CACHE               → {"ms","blobsCopied","blobsPresent"}  copy REF into collection AS of the same registry (ours)
//   sdk-put  ENDPOINT BUCKET PREFIX FOLDER N     → {"ms","files"}  PutObject of every file, N at once (baseline)
//   sdk-get  ENDPOINT BUCKET PREFIX DEST N       → {"ms","files"}  GetObject of every key under PREFIX into DEST, N at once (baseline)
//   sdk-list ENDPOINT BUCKET PREFIX              → {"ms","keys"}   ListObjectsV2 of every key under PREFIX (baseline)
import { createReadStream, createWriteStream, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const require = createRequire(import.meta.url);
const [op, ...args] = process.argv.slice(2);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const time = async (fn) => {
  const t0 = process.hrtime.bigint();
  const out = await fn();
  return [Number(process.hrtime.bigint() - t0) / 1e6, out];
};

/** Runs fn over items, n at once. */
async function pool(items, n, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

function files(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

async function sdk(endpoint, bucket) {
  // The same client settings as the registry's store: path style, checksums only when required.
  const client = new S3Client({ endpoint, region: process.env.AWS_REGION ?? 'us-east-1', forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  await client.send(new HeadBucketCommand({ Bucket: bucket }));
  return client;
}

async function registry(location, cache) {
  const { Registry } = require('../dist/index.js');
  const reg = new Registry({ root: location, localRoot: cache, entity: 'bench', project: 'bench' });
  await reg.store.head('warm-up');
  return reg;
}

let result;
if (op === 'log') {
  const [location, folder, cache] = args;
  const reg = await registry(location, cache);
  const draft = reg.newArtifact('bench-data', 'dataset');
  const [addMs] = await time(() => draft.addDir(folder));
  const [ms] = await time(() => reg.log(draft));
  result = { ms, addMs };
} else if (op === 'download') {
  const [location, ref, dest, cache] = args;
  const reg = await registry(location, cache);
  const [ms, r] = await time(async () => (await reg.get(ref)).download(dest));
  result = { ms, written: r.written.length };
} else if (op === 'push') {
  const [location, ref, as, cache] = args;
  const source = await registry(location, cache);
  const target = await registry(location, cache);
  const [ms, r] = await time(() => source.push(ref, target, { as }));
  result = { ms, blobsCopied: r.blobsCopied, blobsPresent: r.blobsPresent };
} else if (op === 'sdk-put') {
  const [endpoint, bucket, prefix, folder, n] = args;
  const client = await sdk(endpoint, bucket);
  const list = files(folder);
  const [ms] = await time(() => pool(list, Number(n), async (f) => {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/${path.relative(folder, f)}`, Body: createReadStream(f), ContentLength: statSync(f).size }));
  }));
  result = { ms, files: list.length };
} else if (op === 'sdk-get') {
  const [endpoint, bucket, prefix, dest, n] = args;
  const client = await sdk(endpoint, bucket);
  const [ms, count] = await time(async () => {
    const keys = [];
    let token;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }));
      for (const o of page.Contents ?? []) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    await pool(keys, Number(n), async (key) => {
      const file = path.join(dest, key.slice(prefix.length + 1));
      mkdirSync(path.dirname(file), { recursive: true });
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      await pipeline(res.Body, createWriteStream(file));
    });
    return keys.length;
  });
  result = { ms, files: count };
} else if (op === 'sdk-list') {
  const [endpoint, bucket, prefix] = args;
  const client = await sdk(endpoint, bucket);
  const [ms, keys] = await time(async () => {
    let n = 0;
    let token;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      n += page.Contents?.length ?? 0;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return n;
  });
  result = { ms, keys };
} else {
  console.error(`unknown op ${op}`);
  process.exit(2);
}
console.log(JSON.stringify(result));
