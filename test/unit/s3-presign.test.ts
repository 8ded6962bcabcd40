import { S3ObjectStore } from '../../src/storage/s3-object-store';

const base = {
  endpoint: 'http://minio:9000',
  endpointForClickHouse: 'http://minio:9000',
  region: 'us-east-1',
  bucket: 'kpi-uploads',
  accessKeyId: 'k',
  secretAccessKey: 's',
  forcePathStyle: true,
};

describe('presigned upload URLs', () => {
  test("are signed for the endpoint clients reach, not the gateway's internal one", async () => {
    const store = new S3ObjectStore({ ...base, endpointForClients: 'http://127.0.0.1:9000' });
    const url = new URL(await store.presignPut('uploads/acme/1.csv', 600));
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe(
      'http://127.0.0.1:9000/kpi-uploads/uploads/acme/1.csv',
    );
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host');
    store.close();
  });

  test("without a public endpoint, the gateway's own endpoint is used", async () => {
    const store = new S3ObjectStore(base);
    expect(new URL(await store.presignPut('k.csv', 60)).host).toBe('minio:9000');
    store.close();
  });
});
