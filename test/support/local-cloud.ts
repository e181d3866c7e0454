import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { Invocation, invokeBundledHandler, InvokeOptions } from '../../local-aws/bundled-handler';
import { createEvent } from '../../local-aws/cloudformation/events';
import { ResponseServer } from '../../local-aws/response-server';
import { AccountLinksEmulator, EmulatorOptions } from '../../src/emulator/emulator';

type Properties = Record<string, unknown>;

/**
 * What CloudFormation and WorkSpaces are to the handler, locally: a response server for
 * the test file and a fresh emulator for each test. `use()` registers the jest hooks.
 */
export class LocalCloud {
  public static use(emulatorOptions: () => EmulatorOptions): LocalCloud {
    const cloud = new LocalCloud();
    beforeAll(async () => {
      cloud.responses = await ResponseServer.start();
    });
    afterAll(async () => {
      await cloud.responses.close();
    });
    beforeEach(async () => {
      cloud.emulator = await AccountLinksEmulator.start(emulatorOptions());
      cloud.responses.responses.length = 0;
      cloud.responses.rejected = 0;
    });
    afterEach(async () => {
      await cloud.emulator.close();
    });
    return cloud;
  }

  public emulator!: AccountLinksEmulator;
  public responses!: ResponseServer;

  private constructor() {}

  /** Replaces this test's emulator with one serving other links. */
  public async reseed(options: EmulatorOptions): Promise<void> {
    await this.emulator.close();
    this.emulator = await AccountLinksEmulator.start(options);
  }

  /** A Create event whose ResponseURL is this cloud's response server. */
  public createEvent(properties: Properties, resourceType?: string, logicalResourceId?: string): CloudFormationCustomResourceEvent {
    return createEvent(properties, { responseUrl: this.responses.url(), resourceType, logicalResourceId });
  }

  /** Runs the bundled handler once against the emulator; the invocation must end normally. */
  public async invoke(payload: CloudFormationCustomResourceEvent | object, options: Partial<InvokeOptions> = {}) {
    const invocation: Invocation = await invokeBundledHandler(payload, { workspacesEndpoint: this.emulator.endpoint, ...options });
    expect({ exitCode: invocation.exitCode, stderr: invocation.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(invocation.records).toHaveLength(invocation.logs.length);
    return { invocation, log: invocation.records[invocation.records.length - 1].message };
  }

  /** As invoke(), and the invocation must have answered CloudFormation exactly once: returns that answer. */
  public async respond(event: CloudFormationCustomResourceEvent, options: Partial<InvokeOptions> = {}) {
    const before = this.responses.responses.length;
    const result = await this.invoke(event, options);
    expect(this.responses.responses.length - before).toBe(1);
    const raw = this.responses.responses[this.responses.responses.length - 1];
    return { ...result, raw, response: raw.body };
  }
}
