// Team registry benchmarks against a real S3 server in the same run (Ceph's RADOS Gateway on
// 127.0.0.1, `npm run servers`): ours and the AWS SDK alone, alternating, each run in a fresh
// process, medians of the per-run ratios.
//   upload           log a 1 GiB version of 1,000 files into the bucket (the log: pin, presence,
//                    upload, commit; the files were added to the draft, i.e. hashed, before) vs the
//                    SDK putting the same files with the same concurrency (16) and nothing else;
//                    target 1.3x (adding the files is printed beside it)
//   download         download it into an empty folder with an empty cache vs the SDK's plain GETs
//                    of the same objects (64 at once, as the download); target 1.3x
//   push             push the unchanged version into another collection of the registry (every
//                    blob already there: no blob PUT) vs listing the keys it checks; target 2x
// Skipped (with the reason) when no server is configured. BENCH_SCALE shrinks the data.
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { generateFolder, median, mib, removeTree, report, run, scratch, ROOT } from './lib.mjs';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ONCE = path.join(ROOT, 'bench', 'remote-once.mjs');

function server() {
  const file = path.join(process.env.ARTIFACTS_SERVERS_DIR ?? path.join(ROOT, '.servers'), 'env');
  const vars = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const m = /^([A-Z0-9_]+)='?([^']*)'?$/.exec(line.trim());
      if (m) vars[m[1]] = m[2];
    }
  }
  for (const [k, v] of Object.entries(process.env)) if (k.startsWith('ARTIFACTS_TEST_')) vars[k] = v;
  if (!vars.ARTIFACTS_TEST_S3_ENDPOINT) return undefined;
  return { endpoint: vars.ARTIFACTS_TEST_S3_ENDPOINT, env: { AWS_ACCESS_KEY_ID: vars.ARTIFACTS_TEST_S3_ACCESS_KEY, AWS_SECRET_ACCESS_KEY: vars.ARTIFACTS_TEST_S3_SECRET_KEY, AWS_REGION: vars.ARTIFACTS_TEST_S3_REGION ?? 'us-east-1' } };
}

/** One bucket for the cases, emptied and removed at the end (Ceph keeps its objects in RAM). */
async function withBucket(s, body) {
  const { S3Client, CreateBucketCommand, DeleteBucketCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({ endpoint: s.endpoint, region: s.env.AWS_REGION, forcePathStyle: true, credentials: { accessKeyId: s.env.AWS_ACCESS_KEY_ID, secretAccessKey: s.env.AWS_SECRET_ACCESS_KEY } });
  const bucket = `artifacts-bench-${randomBytes(4).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const empty = (prefix) => emptyPrefix(client, bucket, prefix);
  try {
    return await body(bucket, empty);
  } finally {
    await empty('');
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    client.destroy();
  }
}

async function emptyPrefix(client, bucket, prefix) {
  const { ListObjectsV2Command, DeleteObjectsCommand } = await import('@aws-sdk/client-s3');
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    if (!page.Contents?.length) return;
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: page.Contents.map((o) => ({ Key: o.Key })) } }));
  }
}

async function once(s, args) {
  return JSON.parse((await run(process.execPath, [ONCE, ...args], { env: { ...process.env, ...s.env } })).stdout);
}

async function remoteCase() {
  const s = server();
  if (!s) {
    console.log('  skipped: no S3 server configured (run `npm run servers`, or set ARTIFACTS_TEST_S3_* variables)');
    return [];
  }
  const count = Math.max(10, Math.round(1000 * SCALE));
  const work = scratch('remote');
  const data = path.join(work, 'data');
  console.log(`generating ${count} files of 1 MiB (${mib(count * (1 << 20))})…`);
  generateFolder(data, count, 1 << 20);
  try {
    return await withBucket(s, async (bucket, empty) => {
      const location = (prefix) => `s3://${bucket}/${prefix}?endpoint=${s.endpoint}`;
      const results = [];

      // Upload: a fresh prefix each run, so every blob goes up; each side removes its objects after.
      const up = [];
      const adds = [];
      for (let i = 0; i < RUNS; i++) {
        const cache = path.join(work, `cache-up-${i}`);
        const ours = await once(s, ['log', location(`up-${i}`), data, cache]);
        await empty(`up-${i}/`);
        const sdk = await once(s, ['sdk-put', s.endpoint, bucket, `sdk-up-${i}`, data, '16']);
        await empty(`sdk-up-${i}/`);
        removeTree(cache);
        up.push(ours.ms / sdk.ms);
        adds.push(ours.addMs / sdk.ms);
        console.log(`  run ${i + 1}: log into the bucket ${ours.ms.toFixed(0)} ms (adding the files before: ${ours.addMs.toFixed(0)} ms), SDK PutObject x${sdk.files} (16 at once) ${sdk.ms.toFixed(0)} ms, ratio ${(ours.ms / sdk.ms).toFixed(2)}`);
      }
      results.push(report(`upload a ${count}-file version (${mib(count << 20)}) vs the AWS SDK's PutObject, 16 at once`, { ratio: median(up), target: 1.3, detail: `adding the files to the draft (hashing, staging copies) takes ${median(adds).toFixed(2)}x the SDK's upload on top` }));

      // Download and push: one version stays in the bucket.
      const reg = location('reg');
      await once(s, ['log', reg, data, path.join(work, 'cache-seed')]);
      removeTree(path.join(work, 'cache-seed'));
      const down = [];
      for (let i = 0; i < RUNS; i++) {
        const cache = path.join(work, `cache-down-${i}`);
        const dest = path.join(work, `dl-${i}`);
        const sdkDest = path.join(work, `sdk-dl-${i}`);
        await run('sync', []);
        const ours = await once(s, ['download', reg, 'bench-data:v0', dest, cache]);
        await run('sync', []);
        const sdk = await once(s, ['sdk-get', s.endpoint, bucket, 'reg/objects/md5', sdkDest, '64']);
        if (ours.written !== count || sdk.files !== count) throw new Error(`downloaded ${ours.written} and ${sdk.files} of ${count} files`);
        removeTree(cache);
        removeTree(dest);
        removeTree(sdkDest);
        down.push(ours.ms / sdk.ms);
        console.log(`  run ${i + 1}: download ${ours.ms.toFixed(0)} ms, SDK GetObject x${sdk.files} (64 at once) ${sdk.ms.toFixed(0)} ms, ratio ${(ours.ms / sdk.ms).toFixed(2)}`);
      }
      results.push(report(`download it into an empty folder, empty cache, vs the AWS SDK's GetObject`, { ratio: median(down), target: 1.3 }));

      const push = [];
      for (let i = 0; i < RUNS; i++) {
        const cache = path.join(work, `cache-push-${i}`);
        const ours = await once(s, ['push', reg, 'bench-data:v0', `copy-${i}`, cache]);
        if (ours.blobsCopied !== 0 || ours.blobsPresent !== count) throw new Error(`the push copied ${ours.blobsCopied} blobs`);
        const list = await once(s, ['sdk-list', s.endpoint, bucket, 'reg/objects/md5/']);
        removeTree(cache);
        push.push(ours.ms / list.ms);
        console.log(`  run ${i + 1}: push of the unchanged version ${ours.ms.toFixed(0)} ms (0 blobs copied, ${ours.blobsPresent} there), SDK listing of the ${list.keys} keys ${list.ms.toFixed(0)} ms, ratio ${(ours.ms / list.ms).toFixed(2)}`);
      }
      results.push(report(`push of an unchanged version (no blob PUT) vs listing the keys it checks`, { ratio: median(push), target: 2 }));
      return results;
    });
  } finally {
    removeTree(work);
  }
}

export const remoteCases = [{ id: 'remote', title: 'team registry on S3 (Ceph): upload, download and push vs the AWS SDK alone', run: remoteCase }];
