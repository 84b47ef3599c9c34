/**
 * The API stack's split: the front door (REST API, resource tree, stage, deployment, WAF, authorizer) in `FmnApi-<stage>`,
 * each feature's functions and methods in a nested stack, the jobs in another. Checks the headroom of every template in
 * the cloud assembly, nested ones included, that each route lands in its feature's stack, and that a route changed inside
 * a nested stack still produces a new API deployment (otherwise `cdk deploy` would update the method and leave the stage
 * serving the old one).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NestedStack, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { FEATURES, erasureReceiptRoute, healthRoute, routes, type RouteDefinition } from '../../lambdas/routes';
import { apiStacks, synth, templateOf, type Synthesized } from './support';

type Json = Record<string, any>;

/** CloudFormation allows 500 resources and 200 parameters per template; a stack here stays under these. */
const BUDGET = { resources: 450, parameters: 180 } as const;

interface TemplateSize {
  readonly file: string;
  readonly resources: number;
  readonly parameters: number;
}

/** Every template in a cloud assembly directory: top-level stacks and nested stacks (`*.nested.template.json`). */
function templateSizes(outdir: string): TemplateSize[] {
  return readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .map((file) => {
      const template = JSON.parse(readFileSync(join(outdir, file), 'utf8')) as Json;
      return {
        file,
        resources: Object.keys(template.Resources ?? {}).length,
        parameters: Object.keys(template.Parameters ?? {}).length,
      };
    });
}

function overBudget(sizes: readonly TemplateSize[], budget: { resources: number; parameters: number } = BUDGET): string[] {
  return sizes
    .filter((s) => s.resources > budget.resources || s.parameters > budget.parameters)
    .map((s) => `${s.file}: ${s.resources} resources, ${s.parameters} parameters`);
}

const deploymentOf = (s: Synthesized): [string, Json] => {
  const deployments = Object.entries(s.apiTemplate.findResources('AWS::ApiGateway::Deployment')) as [string, Json][];
  expect(deployments).toHaveLength(1);
  return deployments[0];
};

let dev: Synthesized;
let prod: Synthesized;

beforeAll(() => {
  dev = synth({ stage: 'dev' });
  // The largest configuration: CORS adds a preflight method to every resource.
  prod = synth({ stage: 'prod', corsOrigins: ['https://app.example.com'], alarmEmails: ['ops@example.com'] });
});

describe('resource headroom', () => {
  it.each([
    ['dev', () => dev],
    ['prod with CORS', () => prod],
  ] as const)('%s: every template, nested or not, holds at most 450 resources and 180 parameters', (_, get) => {
    const s = get();
    const sizes = templateSizes(s.outdir);
    // Both top-level stacks and every nested stack were read from the assembly.
    expect(sizes).toHaveLength(2 + apiStacks(s).length - 1);
    expect(overBudget(sizes)).toEqual([]);
  });

  it('the check names the template that passes the budget', () => {
    const sizes = templateSizes(dev.outdir);
    const largest = sizes.reduce((a, b) => (b.resources > a.resources ? b : a));
    expect(overBudget(sizes, { resources: largest.resources - 1, parameters: 200 })).toEqual([
      `${largest.file}: ${largest.resources} resources, ${largest.parameters} parameters`,
    ]);
  });
});

describe('the split', () => {
  it('puts each route function and method in the nested stack of its feature, and nothing of a route in FmnApi', () => {
    const methods = dev.api.node.findAll().filter((c): c is apigateway.Method => c instanceof apigateway.Method);
    for (const route of routes) {
      const featureStack = dev.api.featureStacks.get(route.feature);
      expect({ route: route.id, stack: Stack.of(dev.api.functions.get(route.id)!).node.id }).toEqual({
        route: route.id,
        stack: featureStack?.node.id,
      });
      const method = methods.find((m) => m.node.id === route.id && m.httpMethod === route.method)!;
      expect(Stack.of(method)).toBe(featureStack);
    }
    expect([...dev.api.featureStacks.keys()].sort()).toEqual(Object.keys(FEATURES).sort());
    dev.apiTemplate.resourceCountIs('AWS::ApiGateway::Method', 0);
    // The authorizer's function is the only one of ours left in the API stack; the other is CDK's BucketDeployment
    // handler, a stack-level singleton that uploads the console.
    dev.apiTemplate.resourceCountIs('AWS::Lambda::Function', 2);
    expect(Object.keys(dev.apiTemplate.findResources('AWS::Lambda::Function')).filter((id) => id.startsWith('CustomCDKBucketDeployment'))).toHaveLength(1);
  });

  it('keeps the REST API, its stage, deployment, authorizer, models and gateway responses in FmnApi', () => {
    for (const type of ['RestApi', 'Stage', 'Deployment', 'Authorizer', 'GatewayResponse', 'Model', 'RequestValidator']) {
      for (const stack of apiStacks(dev).slice(1)) templateOf(stack).resourceCountIs(`AWS::ApiGateway::${type}`, 0);
      expect(Object.keys(dev.apiTemplate.findResources(`AWS::ApiGateway::${type}`)).length).toBeGreaterThan(0);
    }
  });

  it('passes values down as parameters: no nested stack outputs, and no export of the API stacks', () => {
    for (const stack of apiStacks(prod)) {
      const template = templateOf(stack).toJSON();
      if (NestedStack.isNestedStack(stack)) expect(template.Outputs ?? {}).toEqual({});
      for (const output of Object.values(template.Outputs ?? {}) as Json[]) expect(output.Export).toBeUndefined();
    }
  });

  it('makes the deployment wait for every nested stack that holds methods', () => {
    const [, deployment] = deploymentOf(dev);
    for (const stack of dev.api.featureStacks.values()) {
      expect(deployment.DependsOn).toContain(dev.api.getLogicalId(stack.nestedStackResource!));
    }
  });
});

describe('a route changed inside a nested stack', () => {
  // The receipt token made optional: only the method's request parameters change, in the rights stack.
  const optionalToken: RouteDefinition = {
    ...erasureReceiptRoute,
    headers: erasureReceiptRoute.headers!.map((h) => ({ ...h, required: false })),
  };
  const withRoute = (changed: RouteDefinition) => routes.map((r) => (r.id === changed.id ? changed : r));
  const receiptMethod = (s: Synthesized) =>
    Object.values(templateOf(s.api.featureStacks.get('rights')!).findResources('AWS::ApiGateway::Method')).find(
      (m) => (m as Json).Properties.OperationName === erasureReceiptRoute.id,
    ) as Json;

  it('gives the deployment a new logical id, so the stage serves the change; the same table gives the same id', () => {
    const [unchangedId] = deploymentOf(synth({ stage: 'dev' }));
    const changed = synth({ stage: 'dev', api: { routes: withRoute(optionalToken) } });
    expect(receiptMethod(changed).Properties.RequestParameters['method.request.header.X-Receipt-Token']).toBe(false);
    expect(receiptMethod(dev).Properties.RequestParameters['method.request.header.X-Receipt-Token']).toBe(true);
    const [changedId] = deploymentOf(changed);
    const [devId] = deploymentOf(dev);
    expect(unchangedId).toBe(devId);
    expect(changedId).not.toBe(devId);
  });

  it('gives it a new logical id when a route is added to a feature on an existing resource', () => {
    // A new method on /v1/health: nothing changes in the API stack itself but the method's nested stack.
    const added: RouteDefinition = { ...healthRoute, id: 'healthPost', method: 'POST', feature: 'audit' };
    const [addedId] = deploymentOf(synth({ stage: 'dev', api: { routes: [...routes, added] } }));
    expect(addedId).not.toBe(deploymentOf(dev)[0]);
  });
});
