import { CfnResource, CustomResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AccountLinksProvider } from './account-links-provider';
import { DEFAULT_SERVICE_TIMEOUT } from './account-links-provider/handler-settings';
import type { ResourceProperties, ResourceTypeName } from './contract';

export interface LinkResourceProps<T extends ResourceTypeName> {
  readonly resourceType: T;
  /** Typed by the contract: what the handler of this resource type reads. */
  readonly properties: ResourceProperties[T];
  /** How long CloudFormation waits for the answer. @default DEFAULT_SERVICE_TIMEOUT */
  readonly serviceTimeout?: Duration;
  /** @default RemovalPolicy.DESTROY */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The custom resource (`Resource`) of one of this library's constructs, served by the
 * stack's function. Its `ServiceTimeout` stays: it turns a lost answer into a failure in
 * minutes instead of an hour. Its `DeletionPolicy` and `UpdateReplacePolicy` are left out
 * when they would say `Delete`, which CloudFormation does anyway: each lookup adds fewer
 * template bytes. `Retain` (an invitation's `removalPolicy`) stays.
 */
export function linkResource<T extends ResourceTypeName>(
  scope: Construct, provider: AccountLinksProvider, props: LinkResourceProps<T>,
): CustomResource {
  const removalPolicy = props.removalPolicy ?? RemovalPolicy.DESTROY;
  const resource = new CustomResource(scope, 'Resource', {
    serviceToken: provider.serviceToken,
    resourceType: props.resourceType,
    serviceTimeout: props.serviceTimeout ?? DEFAULT_SERVICE_TIMEOUT,
    removalPolicy,
    properties: { ...props.properties },
  });
  if (removalPolicy === RemovalPolicy.DESTROY) {
    const options = (resource.node.defaultChild as CfnResource).cfnOptions;
    options.deletionPolicy = undefined;
    options.updateReplacePolicy = undefined;
  }
  return resource;
}
