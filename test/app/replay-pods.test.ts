/** `npd replay` shows which pod each OOM kill hit, with NPD's kernel-monitor.json unchanged. */
import { join } from 'node:path';
import { repoRoot, runCli } from '../helpers/cli.js';
import { fixtureContainersLogDir, fixturePodsLogDir, oomFixture } from '../pods/oom-fixtures.js';

test('npd replay prints the Pod event and the Node event of each attributed kill', async () => {
  const args = ['replay', '--monitor', join(repoRoot, 'monitors/kernel-monitor.json'), oomFixture('kmsg-burst-derived.log')];
  const withPods = await runCli([...args, `--pods-log-dir=${fixturePodsLogDir}`, `--containers-log-dir=${fixtureContainersLogDir}`]);
  expect(withPods.code).toBe(0);
  expect(withPods.stdout).toContain('→ PodOOMKilling on pod ml/trainer-0: OOM killer killed process pt_main_thread (pid 461754) in container "pytorch": the pod reached its memory limit');
  expect(withPods.stdout).toContain('→ OOMKilling on the node: Killed process 62769 (cp) total-vm:17528kB, anon-rss:1644kB, file-rss:0kB, shmem-rss:0kB; namespace: kubedirector, pod: spark-controller-0, container: app-init');
  expect(withPods.stdout.match(/→ PodOOMKilling/g)).toHaveLength(3);
  // Without the kubelet's directories (the defaults do not exist here) the output is NPD's alone.
  const without = await runCli([...args, '--pods-log-dir=/nonexistent/pods', '--containers-log-dir=/nonexistent/containers']);
  expect(without.stdout).not.toContain('→');
  expect(without.stdout).toContain('4 problems in 1 file');
}, 60_000);
