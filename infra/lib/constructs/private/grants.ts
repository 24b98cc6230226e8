import { Stack } from 'aws-cdk-lib';
import { CfnTable, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';

/**
 * Grants written with explicit actions. The L2 `grant*` helpers add prefix wildcards
 * (`s3:GetObject*`, `kms:GenerateDataKey*`, `kms:ReEncrypt*`); these name each action a Cairn
 * handler calls, and nothing else.
 */
const TABLE_READ = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const TABLE_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

export function grantTable(table: ITable, grantee: iam.IGrantable, mode: 'read' | 'readWrite'): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: mode === 'read' ? TABLE_READ : [...TABLE_READ, ...TABLE_WRITE],
      resources: [table.tableArn, ...indexArns(table)],
    }),
  );
  if (table.encryptionKey) grantKey(table.encryptionKey, grantee, mode === 'read' ? 'decrypt' : 'encryptDecrypt');
}

/** Each index by name when the table is defined in this app; `index/*` only for an imported table. */
function indexArns(table: ITable): string[] {
  const cfn = table.node.defaultChild;
  if (cfn instanceof CfnTable) {
    const indexes = (Stack.of(cfn).resolve(cfn.globalSecondaryIndexes) ?? []) as { indexName: string }[];
    return indexes.map((i) => `${table.tableArn}/index/${i.indexName}`);
  }
  return [`${table.tableArn}/index/*`];
}

export function grantKey(key: kms.IKey, grantee: iam.IGrantable, mode: 'decrypt' | 'encryptDecrypt'): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions:
        mode === 'decrypt'
          ? ['kms:Decrypt', 'kms:DescribeKey']
          : ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: [key.keyArn],
    }),
  );
}

export interface ObjectAccess {
  readonly read?: boolean;
  readonly write?: boolean;
  readonly delete?: boolean;
  readonly list?: boolean;
  /** Key prefixes the grant covers, e.g. ['uploads/', 'files/']; none: the whole bucket. */
  readonly prefixes?: readonly string[];
}

export function grantObjects(bucket: s3.IBucket, grantee: iam.IGrantable, access: ObjectAccess): void {
  const actions = [
    ...(access.read ? ['s3:GetObject', 's3:GetObjectTagging'] : []),
    ...(access.write ? ['s3:PutObject', 's3:PutObjectTagging', 's3:AbortMultipartUpload'] : []),
    ...(access.delete ? ['s3:DeleteObject'] : []),
  ];
  const prefixes = access.prefixes ?? [''];
  if (actions.length > 0) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions, resources: prefixes.map((p) => bucket.arnForObjects(`${p}*`)) }),
    );
  }
  if (access.list) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
  }
  if (bucket.encryptionKey) {
    grantKey(bucket.encryptionKey, grantee, access.write ? 'encryptDecrypt' : 'decrypt');
  }
}

export function grantPublish(topic: sns.ITopic, grantee: iam.IGrantable): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }),
  );
  if (topic.masterKey) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [topic.masterKey.keyArn] }),
    );
  }
}

/** Wildcard findings these grants produce, with their reasons (see acknowledgements.ts). */
export const OBJECT_PREFIX_REASON =
  'Object actions are granted on key prefixes (bucket ARN + "/<prefix>*"): object keys are generated ids that a policy cannot list in advance.';
