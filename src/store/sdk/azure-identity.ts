// The @azure/identity SDK as one bundle (dist/sdk/azure-identity.js), loaded on first use.
export * from '@azure/identity';
