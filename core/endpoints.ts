/// <reference path="./sdk-endpoint-rules.d.ts" />
import { bdd as lambdaRules } from '@aws-sdk/client-lambda/dist-cjs/endpoint/bdd';
import { bdd as organizationsRules } from '@aws-sdk/client-organizations/dist-cjs/endpoint/bdd';
import { bdd as workspacesRules } from '@aws-sdk/client-workspaces/dist-cjs/endpoint/bdd';
import { awsEndpointFunctions } from '@aws-sdk/core/client';
import { NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS, NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS } from '@smithy/core/config';
import { customEndpointFunctions, decideEndpoint } from '@smithy/core/endpoints';

// The `aws.partition` and ARN functions the rules call, as the SDK's clients register them.
customEndpointFunctions.aws = awsEndpointFunctions;

/** The services whose endpoints the handler and the command call themselves (STS goes through the SDK's own client). */
const RULES = { workspaces: workspacesRules, lambda: lambdaRules, organizations: organizationsRules } as const;
export type Service = keyof typeof RULES;

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
  const override = process.env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || process.env.AWS_ENDPOINT_URL;
  if (override) return { url: override, signingRegion: region };
  const endpoint = decideEndpoint(RULES[service], {
    endpointParams: {
      Region: region,
      UseFIPS: NODE_USE_FIPS_ENDPOINT_CONFIG_OPTIONS.environmentVariableSelector(process.env) ?? false,
      UseDualStack: NODE_USE_DUALSTACK_ENDPOINT_CONFIG_OPTIONS.environmentVariableSelector(process.env) ?? false,
    },
  });
  const schemes = endpoint.properties?.authSchemes as Array<{ signingRegion?: string }> | undefined;
  return { url: endpoint.url.href.replace(/\/$/, ''), signingRegion: schemes?.[0]?.signingRegion ?? region };
}
