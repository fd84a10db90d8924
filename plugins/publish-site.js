'use strict';

// Publishes the storefront once `sls deploy` has updated the stack (or alone: `sls publish-site --stage X`):
// every file of frontend/ goes to the stack's private bucket (and files no longer in frontend/ are removed),
// config.json is written there with this stage's API URL and user pool, then the CloudFront cache is invalidated.
// It reads bucket, distribution and API URL from the stack's outputs and uses the deploy's own AWS
// credentials and region through osls 4's SDK v3 configuration (`provider.getAwsSdkV3Config`). None of them
// depends on whether the stage has a site domain; the SiteUrl output (the domain, or else the distribution's
// own *.cloudfront.net name) is only reported.

const fs = require('node:fs');
const path = require('node:path');
const { CloudFormationClient, DescribeStacksCommand } = require('@aws-sdk/client-cloudformation');
const { CloudFrontClient, CreateInvalidationCommand } = require('@aws-sdk/client-cloudfront');
const {
  S3Client,
  DeleteObjectsCommand,
  PutObjectCommand,
  paginateListObjectsV2,
} = require('@aws-sdk/client-s3');

const SITE_DIR = 'frontend';
const CONFIG_KEY = 'config.json'; // written from the stack's outputs, never uploaded from disk
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};
// Files are not content-hashed: browsers revalidate the entry points and data, and keep the rest 5 minutes.
const REVALIDATE = new Set(['.html', '.json']);

function filesUnder(root, dir = root) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.name.startsWith('.')) return [];
    if (entry.isDirectory()) return filesUnder(root, full);
    return [path.relative(root, full).split(path.sep).join('/')];
  });
}

function headersFor(key) {
  const extension = path.extname(key).toLowerCase();
  return {
    ContentType: CONTENT_TYPES[extension] || 'application/octet-stream',
    CacheControl: REVALIDATE.has(extension) ? 'no-cache' : 'public, max-age=300',
  };
}

class PublishSite {
  constructor(serverless, options, { log }) {
    this.serverless = serverless;
    this.provider = serverless.getProvider('aws');
    this.log = log;
    this.commands = {
      'publish-site': {
        usage: 'Upload frontend/ and config.json to the storefront bucket and invalidate CloudFront',
        lifecycleEvents: ['publish'],
      },
    };
    this.hooks = {
      'after:deploy:deploy': () => this.publish(),
      'publish-site:publish': () => this.publish(),
    };
  }

  async stackOutputs(config) {
    const stackName = this.provider.naming.getStackName();
    const cloudFormation = new CloudFormationClient(config);
    const { Stacks: stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    const outputs = Object.fromEntries((stacks[0].Outputs || []).map((o) => [o.OutputKey, o.OutputValue]));
    const required = ['FrontendBucketName', 'FrontendDistributionId', 'HttpApiUrl', 'UserPoolId', 'UserPoolClientId'];
    for (const name of required) {
      if (!outputs[name]) {
        throw new this.serverless.classes.Error(`publish-site: stack ${stackName} has no output ${name}`);
      }
    }
    return outputs;
  }

  async publish() {
    const config = await this.provider.getAwsSdkV3Config();
    const outputs = await this.stackOutputs(config);
    const bucket = outputs.FrontendBucketName;
    const s3 = new S3Client(config);
    const siteDir = path.join(this.serverless.serviceDir, SITE_DIR);

    const keys = filesUnder(siteDir).filter((key) => key !== CONFIG_KEY);
    for (const key of keys) {
      const body = fs.readFileSync(path.join(siteDir, key));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...headersFor(key) }));
    }
    const region = this.provider.getRegion();
    // The same shape `make dev` writes, where the endpoint is moto's.
    const cognito = {
      region,
      userPoolId: outputs.UserPoolId,
      clientId: outputs.UserPoolClientId,
      endpoint: `https://cognito-idp.${region}.amazonaws.com/`,
    };
    const siteConfig = `${JSON.stringify({ apiBaseUrl: outputs.HttpApiUrl, cognito })}\n`;
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: CONFIG_KEY, Body: siteConfig, ...headersFor(CONFIG_KEY) })
    );

    const published = new Set([...keys, CONFIG_KEY]);
    const stale = [];
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
      for (const { Key: key } of page.Contents || []) if (!published.has(key)) stale.push({ Key: key });
    }
    for (let start = 0; start < stale.length; start += 1000) {
      const batch = stale.slice(start, start + 1000);
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }));
    }

    const cloudFront = new CloudFrontClient(config);
    await cloudFront.send(
      new CreateInvalidationCommand({
        DistributionId: outputs.FrontendDistributionId,
        InvalidationBatch: { CallerReference: `publish-site-${Date.now()}`, Paths: { Quantity: 1, Items: ['/*'] } },
      })
    );
    const site = outputs.SiteUrl ? ` at ${outputs.SiteUrl}` : '';
    this.log.notice(
      `Storefront published${site}: ${published.size} files to s3://${bucket} (${stale.length} removed), ` +
        `API ${outputs.HttpApiUrl}, CloudFront ${outputs.FrontendDistributionId} invalidated`
    );
  }
}

module.exports = PublishSite;
