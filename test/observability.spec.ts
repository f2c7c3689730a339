import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expectWellFormedRun, familiesOf, scrape, startStack, streamRun, type KodaStack, type PromSample } from '@koda/testing';

const DIR = path.join(__dirname, '..', 'deploy', 'observability');
const read = (file: string) => readFileSync(path.join(DIR, file), 'utf8');

/** Every PromQL expression of the dashboard (its panels' targets). */
function dashboardExprs(): string[] {
  const dashboard = JSON.parse(read('grafana-koda-dashboard.json')) as { panels: { title: string; targets: { expr: string }[] }[] };
  return dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
}

/** Every `expr:` of the rules file, folded blocks included (no YAML library: the shape is fixed). */
function ruleExprs(): { alert: string; expr: string }[] {
  return read('koda-alerts.yml')
    .split(/\n\s+- alert: /)
    .slice(1)
    .map((block) => {
      const alert = block.split('\n')[0].trim();
      const expr = /expr: (\|\n((?: {10}.*\n)+)|(.*))/.exec(block);
      return { alert, expr: (expr?.[2] ?? expr?.[3] ?? '').trim() };
    });
}

const HISTOGRAM_SUFFIX = /_(bucket|sum|count)$/;

/** The metric a name in an expression refers to: a histogram's series name its family. */
function familyOf(name: string, families: Set<string>): string {
  return families.has(name) ? name : name.replace(HISTOGRAM_SUFFIX, '');
}

describe('dashboards and alerts as code only use series a running stack serves', () => {
  let stack: KodaStack;
  let families: Set<string>;
  let samples: PromSample[];
  beforeAll(async () => {
    stack = await startStack('observability');
    expectWellFormedRun(await streamRun(stack.baseUrl, { message: 'Bonjour', mode: 'plume' }));
    const scraped = await scrape(`${stack.baseUrl}/metrics`);
    families = familiesOf(scraped.text);
    samples = scraped.samples;
  });
  afterAll(() => stack.close());

  it('has the alerts the issue asks for, each with an expression', () => {
    const rules = ruleExprs();
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining(['KodaRunErrorRate', 'KodaSlowFirstToken', 'KodaQueueGrowing', 'KodaNoWorkers', 'KodaRedisMemoryNearMax']),
    );
    for (const rule of rules) expect(rule.expr).toMatch(/koda_/);
  });

  it('references only metrics /metrics exposes, with labels those series carry', () => {
    const exprs = [...ruleExprs().map((r) => r.expr), ...dashboardExprs()];
    expect(exprs.length).toBeGreaterThan(20);
    const names = new Set(exprs.flatMap((expr) => [...expr.matchAll(/\bkoda_[a-z0-9_]+/g)].map((m) => m[0])));
    const missing = [...names].filter((name) => !families.has(familyOf(name, families)));
    expect(missing).toEqual([]);
    // Label matchers and groupings name labels the series have (checked where samples exist).
    for (const expr of exprs) {
      for (const [, name, matchers] of expr.matchAll(/\b(koda_[a-z0-9_]+)\{([^}]*)\}/g)) {
        const ofName = samples.filter((s) => s.name === name);
        for (const [, label] of matchers.matchAll(/([a-z_]+)\s*[=!~]/g))
          if (ofName.length > 0) expect([name, Object.keys(ofName[0].labels)]).toEqual([name, expect.arrayContaining([label])]);
      }
    }
  });

  it('serves every series the README documents, and documents every KODA series it serves', () => {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| series | type | labels | what |'), readme.indexOf('**Health.**'));
    const documented = new Set(table.split('\n').flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`(koda_[a-z0-9_]+)`/g)].map((m) => m[1])));
    expect(documented.size).toBeGreaterThan(20);
    expect([...documented].filter((name) => !families.has(name))).toEqual([]);
    const processSeries = /^koda_[a-z_]+?_(process|nodejs)_/;
    expect([...families].filter((name) => name.startsWith('koda_') && !processSeries.test(name) && !documented.has(name))).toEqual([]);
  });

  it('the scrape config loads the rules and scrapes every service', () => {
    const config = read('prometheus.yml');
    expect(config).toMatch(/rule_files:\n\s+- koda-alerts\.yml/);
    for (const job of ['koda-gateway', 'koda-orchestrator', 'koda-agents']) expect(config).toContain(`job_name: ${job}`);
    for (const service of ['gateway', 'orchestrator', 'plume', 'mimir', 'discussion']) expect(config).toMatch(new RegExp(`names: \\[[^\\]]*\\b${service}\\b`));
  });
});
