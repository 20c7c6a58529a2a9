import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '../../src/core/clock.js';
import { cgroupOfProcess, createContainerProcesses, scanReuseMs } from '../../src/pods/container-processes.js';

const podUid = 'fbdfe8e3-1c87-4ff2-907c-b2ec8e25d012';
const app = 'a'.repeat(64);
const sidecar = 'b'.repeat(64);

/** A host's `/proc/<pid>/cgroup` on cgroup v1 (hybrid): hierarchies in descending ID, the memory one in the middle. */
const v1 = (path: string): string => `9:name=systemd:${path}\n8:pids:${path}\n4:memory:${path}\n1:cpu,cpuacct:/other\n0::/\n`;
/** cgroup v2: the one unified line. */
const v2 = (path: string): string => `0::${path}\n`;
const inPod = (containerId: string | undefined): string => `/kubepods/burstable/pod${podUid}${containerId === undefined ? '' : `/${containerId}`}`;

/** A temporary proc root: `<pid>/cgroup` for each entry (undefined: a pid directory without the file). */
function procTree(entries: Record<string, string | undefined>): string {
  const root = mkdtempSync(join(tmpdir(), 'npd-proc-'));
  roots.push(root);
  for (const [name, cgroup] of Object.entries(entries)) addProcess(root, name, cgroup);
  return root;
}
function addProcess(root: string, name: string, cgroup: string | undefined): void {
  mkdirSync(join(root, name));
  if (cgroup !== undefined) writeFileSync(join(root, name, 'cgroup'), cgroup);
}
const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('cgroupOfProcess', () => {
  test('the v1 memory line, wherever it sits among the hierarchies, when the v2 line is the root', () => {
    expect(cgroupOfProcess(v1('/kubepods/x'))).toBe('/kubepods/x');
    expect(cgroupOfProcess('11:cpu,cpuacct:/c\n12:memory:/b\n')).toBe('/b');
  });

  test('the v2 line when it names a cgroup, before or after the v1 lines', () => {
    expect(cgroupOfProcess('4:memory:/v1\n0::/v2\n')).toBe('/v2');
    expect(cgroupOfProcess('0::/v2\n4:memory:/v1\n')).toBe('/v2');
  });

  test('malformed lines and a text without a memory or v2 line give nothing', () => {
    expect(cgroupOfProcess('1:cpu,cpuacct:/c\n0::/\n')).toBeUndefined();
    // No colon, or only one: not a hierarchy line, even when it names the memory controller.
    expect(cgroupOfProcess('memory,cpu\n')).toBeUndefined();
    expect(cgroupOfProcess('4:memory,cpu\n')).toBeUndefined();
    expect(cgroupOfProcess('')).toBeUndefined();
  });
});

describe('counting the processes of a container', () => {
  test('the others of a container, of the pod, and none of another container', () => {
    const root = procTree({
      '100': v1(inPod(app)),
      '101': v1(inPod(app)),
      '102': v2(`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${podUid.replaceAll('-', '_')}.slice/cri-containerd-${app}.scope`),
      '200': v1(inPod(sidecar)),
    });
    const processes = createContainerProcesses(root, createManualClock());
    expect(processes.others(podUid, app, 100)).toBe(2);
    expect(processes.others(podUid, app, 999)).toBe(3);
    expect(processes.others(podUid, sidecar, 200)).toBe(0);
    expect(processes.others(podUid, undefined, 100)).toBe(3);
    expect(processes.others('00000000-0000-0000-0000-000000000000', undefined, 1)).toBe(0);
  });

  test('a process in the pod\'s own cgroup counts once for the pod', () => {
    const root = procTree({ '300': v1(inPod(undefined)), '301': v1(inPod(app)) });
    const processes = createContainerProcesses(root, createManualClock());
    expect(processes.others(podUid, undefined, 0)).toBe(2);
    expect(processes.others(podUid, undefined, 301)).toBe(1);
    expect(processes.others(podUid, app, 0)).toBe(1);
  });

  test('only pid directories are processes; a process outside the pods, without a cgroup file or a memory line is skipped', () => {
    const root = procTree({
      self: v1(inPod(app)),
      '12ab': v1(inPod(app)),
      x12: v1(inPod(app)),
      '1': v2('/init.scope'),
      '2': undefined, // exited between the listing and the read
      '3': '1:cpu,cpuacct:/c\n0::/\n',
      '400': v1(inPod(app)),
    });
    writeFileSync(join(root, 'uptime'), '1.0 1.0\n');
    const processes = createContainerProcesses(root, createManualClock());
    expect(processes.others(podUid, app, 0)).toBe(1);
  });

  test('undefined when the proc root cannot be read', () => {
    const processes = createContainerProcesses(join(tmpdir(), 'npd-no-such-proc'), createManualClock());
    expect(processes.others(podUid, app, 1)).toBeUndefined();
  });

  test(`a scan is reused for ${scanReuseMs} ms, then the processes are read again`, async () => {
    const root = procTree({ '500': v1(inPod(app)), '501': v1(inPod(app)) });
    const clock = createManualClock();
    const processes = createContainerProcesses(root, clock);
    expect(processes.others(podUid, app, 500)).toBe(1);
    addProcess(root, '502', v1(inPod(app)));
    await clock.advance(scanReuseMs - 1);
    expect(processes.others(podUid, app, 500)).toBe(1);
    await clock.advance(1);
    expect(processes.others(podUid, app, 500)).toBe(2);
    // A proc root that became unreadable: no stale count once the scan is due again.
    rmSync(root, { recursive: true });
    expect(processes.others(podUid, app, 500)).toBe(2);
    await clock.advance(scanReuseMs);
    expect(processes.others(podUid, app, 500)).toBeUndefined();
  });
});
