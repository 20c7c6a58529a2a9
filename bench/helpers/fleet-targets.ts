/** Issue 11's targets, as rows of the fleet table (bench/fleet.ts) and the 500-node test. */
import type { FleetFigures } from './fleet-sim.js';

/** One row: a figure, its target for this fleet size, and whether it was met. */
export interface FleetTarget {
  readonly figure: keyof FleetFigures;
  readonly scenario: string;
  readonly label: string;
  readonly target: string;
  readonly met: boolean;
}

/** Issue 11's targets for `n` nodes (rates scale with the fleet, per-node figures do not). */
export function fleetTargets(n: number, f: FleetFigures): FleetTarget[] {
  const scale = n / 5000;
  return [
    { figure: 'steadyRequestsPerNodeHour', scenario: 'steady state, 1 h, no problems', label: 'requests per node-hour', target: '≤ 13', met: f.steadyRequestsPerNodeHour <= 13 },
    { figure: 'listWatchRequests', scenario: '', label: 'LIST / WATCH requests', target: '0', met: f.listWatchRequests === 0 },
    { figure: 'startupPeakRps', scenario: 'whole fleet starts at once', label: 'peak request rate /s', target: `≤ ${2000 * scale}`, met: f.startupPeakRps <= 2000 * scale },
    { figure: 'startupConvergeP99S', scenario: '', label: 'p99 s until conditions are on the apiserver', target: '≤ 60', met: f.startupConvergeP99S <= 60 },
    { figure: 'incidentRequestsPerNodePerChange', scenario: 'fleet-wide incident (True, False 5 min later)', label: 'requests per node per change', target: '≤ 2.2', met: f.incidentRequestsPerNodePerChange <= 2.2 },
    { figure: 'incident429PerNode', scenario: '', label: '429s per node', target: '≤ 3', met: f.incident429PerNode <= 3 },
    { figure: 'incidentConvergeP99S', scenario: '', label: 'p99 s to converge after each change', target: '≤ 30', met: f.incidentConvergeP99S <= 30 },
    { figure: 'stormEventRequestsPerNode', scenario: 'event storm (identical OOM lines for 1 min, 10,000 a node in the bench)', label: 'Event requests per node', target: '≤ 30', met: f.stormEventRequestsPerNode <= 30 },
    { figure: 'stormOtherEventDelayS', scenario: '', label: 'TaskHung during the storm: delivered, s late (max)', target: '≤ 10', met: f.stormOtherEventDelayS <= 10 },
    { figure: 'outageRequestsPerNode', scenario: 'apiserver down 5 min, problems changing', label: 'requests per node during the outage', target: '≤ 10', met: f.outageRequestsPerNode <= 10 },
    { figure: 'recoveryPeakRps', scenario: '', label: 'peak rate /s in the first minute after recovery', target: `≤ 2 × start-up peak (${2 * f.startupPeakRps})`, met: f.recoveryPeakRps <= 2 * f.startupPeakRps },
    { figure: 'recoveryConvergeP99S', scenario: '', label: 'p99 s to converge after recovery', target: '≤ 120', met: f.recoveryConvergeP99S <= 120 },
    { figure: 'nodesConvergedExactly', scenario: '', label: 'nodes ending with the agent\'s exact conditions', target: `${n}`, met: f.nodesConvergedExactly === n },
  ];
}

