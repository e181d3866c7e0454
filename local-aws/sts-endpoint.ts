import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/** An AssumeRole request the endpoint answered. */
export interface CapturedAssumeRole {
  readonly roleArn: string | null;
  readonly externalId: string | null;
  readonly roleSessionName: string | null;
  /** Access key id of the credentials that signed the request. */
  readonly signedBy: string | undefined;
}

/**
 * How the endpoint takes AssumeRole requests for now: it answers them; it never answers
 * (the request hangs until the endpoint closes); or it throttles them, as STS does (HTTP
 * 400, `Throttling: Rate exceeded`).
 */
export type StsMode = 'answer' | 'hang' | 'throttle';

/**
 * A local STS endpoint (`AWS_ENDPOINT_URL_STS`) that answers AssumeRole (AWS Query
 * protocol: a form-encoded POST, an XML answer) with the credentials `keyFor(roleArn)`
 * names, or refuses it (AccessDenied, as STS answers a role whose trust policy does not
 * let the caller in, or that does not exist) when it names none. `mode` makes it hang or
 * throttle instead, for as long as it is set.
 */
export class StsEndpoint {
  public static async start(keyFor: (roleArn: string) => string | undefined): Promise<StsEndpoint> {
    const endpoint = new StsEndpoint(keyFor);
    await new Promise<void>((resolve) => endpoint.server.listen(0, '127.0.0.1', () => resolve()));
    return endpoint;
  }

  public readonly calls: CapturedAssumeRole[] = [];
  /** How the requests that come are taken (see StsMode); every one is captured in `calls`. */
  public mode: StsMode = 'answer';
  /** Requests left unanswered ('hang') or throttled ('throttle') so far. */
  public readonly faulted = { hang: 0, throttle: 0 };
  private readonly server: Server;

  private constructor(keyFor: (roleArn: string) => string | undefined) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        if (form.get('Action') !== 'AssumeRole') {
          res.writeHead(400, { 'content-type': 'text/xml' }).end('<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>');
          return;
        }
        const roleArn = form.get('RoleArn');
        this.calls.push({
          roleArn,
          externalId: form.get('ExternalId'),
          roleSessionName: form.get('RoleSessionName'),
          signedBy: /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''))?.[1],
        });
        if (this.mode === 'hang') {
          this.faulted.hang++;
          return;
        }
        if (this.mode === 'throttle') {
          this.faulted.throttle++;
          res.writeHead(400, { 'content-type': 'text/xml' }).end(`<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
  <RequestId>00000000-0000-0000-0000-000000000000</RequestId>
</ErrorResponse>`);
          return;
        }
        const account = /:iam::(\d{12}):/.exec(roleArn ?? '')?.[1];
        const key = keyFor(roleArn ?? '');
        if (key === undefined) {
          res.writeHead(403, { 'content-type': 'text/xml' }).end(`<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:sts::111122223333:assumed-role/handler is not authorized to perform: sts:AssumeRole on resource: ${roleArn}</Message></Error>
  <RequestId>00000000-0000-0000-0000-000000000000</RequestId>
</ErrorResponse>`);
          return;
        }
        res.writeHead(200, { 'content-type': 'text/xml' }).end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>${key}</AccessKeyId>
      <SecretAccessKey>assumed-secret</SecretAccessKey>
      <SessionToken>assumed-session-token</SessionToken>
      <Expiration>2099-01-01T00:00:00Z</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROAEXAMPLE:${form.get('RoleSessionName')}</AssumedRoleId>
      <Arn>arn:aws:sts::${account}:assumed-role/reader/${form.get('RoleSessionName')}</Arn>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>
</AssumeRoleResponse>`);
      });
    });
  }

  /** Back to answering, with nothing captured or counted. */
  public reset(): void {
    this.mode = 'answer';
    this.calls.length = 0;
    this.faulted.hang = 0;
    this.faulted.throttle = 0;
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
