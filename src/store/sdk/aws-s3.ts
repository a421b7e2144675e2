// The @aws-sdk/client-s3 SDK as one bundle (dist/sdk/aws-s3.js), loaded on first use.
export * from '@aws-sdk/client-s3';
