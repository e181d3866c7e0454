import { awsEndpointFunctions } from '@aws-sdk/core/client';
import { NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS } from '@smithy/core/config';
import { customEndpointFunctions, decideEndpoint } from '@smithy/core/endpoints';

// The `aws.partition` and ARN functions the rules call, as the SDK's clients register them.
customEndpointFunctions.aws = awsEndpointFunctions;

/**
 * A service whose endpoints the handler or the command calls itself (STS goes through the
 * SDK's own client): its name, as `AWS_ENDPOINT_URL_<NAME>` has it, and its endpoint rules
 * from the SDK's own client. Each client module imports its own service's rules, so that a
 * bundle carries only the rules of the services it calls (a lookup's cold start loads
 * neither Organizations' nor DynamoDB's).
 */
export interface Service {
  readonly name: string;
  readonly rules: Parameters<typeof decideEndpoint>[0];
}

/**
 * Where `service`'s API is for `region`, as the SDK decides: `AWS_ENDPOINT_URL_<SERVICE>`
 * or `AWS_ENDPOINT_URL` when set, else the service's own endpoint rules with
 * `AWS_USE_FIPS_ENDPOINT` and `AWS_USE_DUALSTACK_ENDPOINT` read by the SDK's selectors
 * (FIPS and dual-stack hosts, every partition). Throws as the SDK does: on a Region the
 * rules refuse, or FIPS asked of a partition that has none.
 */
export function serviceEndpoint(service: Service, region: string): string {
  return resolvedEndpoint(service, region).url;
}

/**
 * Where `service`'s API is for `region` and the Region its requests are signed for: a
 * global API (Organizations) signs for its partition's home Region, as its rules say. An
 * override is taken as it is, without the rules, and signs for `region`, as the SDK's
 * clients do with a custom endpoint.
 */
export function resolvedEndpoint(service: Service, region: string): { readonly url: string; readonly signingRegion: string } {
  const override = process.env[`AWS_ENDPOINT_URL_${service.name.toUpperCase()}`] || process.env.AWS_ENDPOINT_URL;
  if (override) return { url: override, signingRegion: region };
  const endpoint = decideEndpoint(service.rules, {
    endpointParams: {
      Region: region,
      UseFIPS: NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS.environmentVariableSelector(process.env) ?? false,
      UseDualStack: NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS.environmentVariableSelector(process.env) ?? false,
    },
  });
  const schemes = endpoint.properties?.authSchemes as Array<{ signingRegion?: string }> | undefined;
  return { url: endpoint.url.href.replace(/\/$/, ''), signingRegion: schemes?.[0]?.signingRegion ?? region };
}
