/**
 * Issue 11: what N npd-ts agents do to one apiserver. N simulated nodes in this process, each with
 * its own production exporter stack, on a virtual clock (an hour of fleet time in seconds), against
 * the test apiserver with an admission model (bench/helpers/fleet-sim.ts). Prints one table of the
 * scenarios and their targets, or with `--json` one JSON line of the figures.
 *
 *   npm run bench:fleet -- [--nodes 5000] [--max-inflight 400] [--service-ms 5] [--storm-lines 10000] [--seed 1] [--json]
 */
import { parseArgs } from 'node:util';
import { runFleet } from './helpers/fleet-sim.js';
import { fleetTargets } from './helpers/fleet-targets.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '5000' },
    'max-inflight': { type: 'string', default: '400' },
    'service-ms': { type: 'string', default: '5' },
    'storm-lines': { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});

const int = (name: string, text: string | undefined, min: number): number => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name}: must be an integer ≥ ${min}, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return n;
};

const nodes = int('nodes', values.nodes, 1);
const started = process.hrtime.bigint();
const figures = await runFleet({
  nodes,
  maxInflight: int('max-inflight', values['max-inflight'], 1),
  serviceMs: int('service-ms', values['service-ms'], 0),
  stormLines: int('storm-lines', values['storm-lines'], 1),
  seed: int('seed', values.seed, 0),
  progress: values.json ? undefined : (line) => console.error(`  ${line}`),
});
const wallS = Number(process.hrtime.bigint() - started) / 1e9;

const rows = fleetTargets(nodes, figures);
if (values.json) {
  console.log(JSON.stringify(figures));
} else {
  console.log(`\nFleet of ${nodes} nodes (max in-flight ${values['max-inflight']}, service ${values['service-ms']} ms, ${values['storm-lines']} storm lines), ${wallS.toFixed(0)} s wall, ${figures.bytesPerNode} bytes per node's stack\n`);
  console.log('| scenario | figure | target | result | |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.scenario} | ${r.label} | ${r.target} | ${figures[r.figure]} | ${r.met ? 'met' : '**missed**'} |`);
}
process.exitCode = rows.every((r) => r.met) ? 0 : 1;
