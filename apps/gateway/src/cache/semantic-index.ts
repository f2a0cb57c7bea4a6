import { HierarchicalNSW } from 'hnswlib-node';
import type { Redis } from 'ioredis';

/** The nearest stored prompt of a bucket: the answer's cache key and its cosine similarity. */
export interface SemanticMatch {
  key: string;
  similarity: number;
}

interface Bucket {
  index?: HierarchicalNSW;
  dimensions: number;
  /** The last stream entry this instance has indexed. */
  lastId: string;
  /** Label -> the answer's key and expiry. */
  entries: Array<{ key: string; expiresAt: number }>;
}

/**
 * The semantic cache's vector index (docs/ARCHITECTURE.md D26). Redis 7 without RediSearch has no
 * vector search, so Redis holds the entries and each gateway holds an HNSW index of them
 * (hnswlib-node, cosine space):
 * - one Redis stream per bucket (`<prefix>cache:sem:<bucket>`: model group, namespace, tenant and
 *   every parameter but the prompt), each entry `{k: answer key, v: float32 vector, e: expiry}`,
 *   trimmed to `maxEntries`, expiring with its newest entry;
 * - before each search an instance reads the entries added since the last one it indexed (one
 *   XRANGE, usually empty), so every instance finds every other's entries; a restarted instance
 *   rebuilds from the stream.
 * The answers themselves are ordinary cache entries under their exact keys, so `/cache/delete`,
 * ttl and `/cache/flushall` apply to semantic hits too.
 */
export class SemanticIndex {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly maxEntries: number,
  ) {}

  streamKey(bucket: string): string {
    return `${this.prefix}cache:sem:${bucket}`;
  }

  /** The most similar live entry of the bucket, if any. */
  async nearest(bucketName: string, vector: readonly number[]): Promise<SemanticMatch | undefined> {
    const bucket = await this.sync(bucketName, vector.length);
    const index = bucket.index;
    if (!index || index.getCurrentCount() === 0) return undefined;
    const now = Date.now();
    const result = index.searchKnn([...vector], Math.min(4, index.getCurrentCount()), (label) => (bucket.entries[label]?.expiresAt ?? 0) > now);
    if (result.neighbors.length === 0) return undefined;
    const entry = bucket.entries[result.neighbors[0]];
    return entry ? { key: entry.key, similarity: 1 - result.distances[0] } : undefined;
  }

  /** Adds a prompt's vector for the answer stored under `key`; other instances index it on their next search. */
  async add(bucketName: string, key: string, vector: readonly number[], ttlMs: number): Promise<void> {
    const stream = this.streamKey(bucketName);
    const encoded = Buffer.from(new Float32Array(vector).buffer).toString('base64');
    await this.redis
      .multi()
      .xadd(stream, 'MAXLEN', '~', String(this.maxEntries), '*', 'k', key, 'v', encoded, 'e', String(Date.now() + ttlMs))
      .pexpire(stream, ttlMs)
      .exec();
  }

  /** Forgets what this instance indexed (after `/cache/flushall`). */
  reset(): void {
    this.buckets.clear();
  }

  private async sync(name: string, dimensions: number): Promise<Bucket> {
    let bucket = this.buckets.get(name);
    if (!bucket || bucket.dimensions !== dimensions || bucket.entries.length >= this.maxEntries) {
      // A new bucket, another embedding size, or full: (re)built from the stream, which Redis trims.
      bucket = { dimensions, lastId: '-', entries: [] };
      this.buckets.set(name, bucket);
    }
    for (;;) {
      const start = bucket.lastId === '-' ? '-' : `(${bucket.lastId}`;
      const rows = await this.redis.xrange(this.streamKey(name), start, '+', 'COUNT', 500);
      for (const [id, fields] of rows) {
        bucket.lastId = id;
        this.index(bucket, fields);
      }
      if (rows.length < 500) return bucket;
    }
  }

  private index(bucket: Bucket, fields: string[]): void {
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < fields.length; i += 2) record[fields[i]] = fields[i + 1];
    const expiresAt = Number(record.e);
    if (!record.k || !record.v || !(expiresAt > Date.now())) return;
    const bytes = Buffer.from(record.v, 'base64');
    const vector = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4)));
    if (vector.length !== bucket.dimensions) return;
    if (!bucket.index) {
      bucket.index = new HierarchicalNSW('cosine', bucket.dimensions);
      bucket.index.initIndex({ maxElements: 64, m: 16, efConstruction: 100, randomSeed: 100 });
      bucket.index.setEf(32);
    }
    const label = bucket.entries.length;
    if (label >= this.maxEntries) return;
    if (label >= bucket.index.getMaxElements()) bucket.index.resizeIndex(Math.min(this.maxEntries, bucket.index.getMaxElements() * 2));
    bucket.index.addPoint(vector, label);
    bucket.entries.push({ key: record.k, expiresAt });
  }
}
