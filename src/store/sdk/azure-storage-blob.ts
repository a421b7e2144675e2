// The @azure/storage-blob SDK as one bundle (dist/sdk/azure-storage-blob.js), loaded on first use.
export * from '@azure/storage-blob';
