// The SDK clients' endpoint rules (their decision diagrams), imported by path: the clients
// do not export them. Typed as @smithy/core/endpoints' decideEndpoint takes them.
declare module '@aws-sdk/client-workspaces/dist-cjs/endpoint/bdd' {
  export const bdd: Parameters<typeof import('@smithy/core/endpoints').decideEndpoint>[0];
}
declare module '@aws-sdk/client-lambda/dist-cjs/endpoint/bdd' {
  export const bdd: Parameters<typeof import('@smithy/core/endpoints').decideEndpoint>[0];
}
declare module '@aws-sdk/client-organizations/dist-cjs/endpoint/bdd' {
  export const bdd: Parameters<typeof import('@smithy/core/endpoints').decideEndpoint>[0];
}
declare module '@aws-sdk/client-dynamodb/dist-cjs/endpoint/bdd' {
  export const bdd: Parameters<typeof import('@smithy/core/endpoints').decideEndpoint>[0];
}
declare module '@aws-sdk/client-eventbridge/dist-cjs/endpoint/bdd' {
  export const bdd: Parameters<typeof import('@smithy/core/endpoints').decideEndpoint>[0];
}
