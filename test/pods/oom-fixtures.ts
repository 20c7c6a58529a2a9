/** Reading the OOM fixtures (test/fixtures/oom) and the corpus's OOM lines. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** test/fixtures/oom/<name>. */
export const oomFixture = (name: string): string => join(fixtures, 'oom', name);
/** The kubelet log directories of the OOM fixtures. */
export const fixturePodsLogDir = join(fixtures, 'oom', 'var-log', 'pods');
export const fixtureContainersLogDir = join(fixtures, 'oom', 'var-log', 'containers');
/** test/fixtures/proc/<name>. */
export const procFixture = (name: string): string => join(fixtures, 'proc', name);

/** A fixture's lines (messages), without the last empty line. */
export function oomLines(name: string): string[] {
  return readFileSync(oomFixture(name), 'utf8').split('\n').filter((l) => l !== '');
}

/** The corpus's real `oom-kill:` lines, message text only. */
export const corpusOomKill = {
  /** cadvisor #2417: cgroupfs Burstable, cgroup v1, docker ID; pid 966 (manager). */
  cgroupfsBurstable: readFileSync(join(fixtures, 'corpus/messages/oom-messages-kernel-4.19-vs-5.4.txt'), 'utf8').split('\n')[5]!.replace(/^\[[^\]]*\] /, ''),
  /** gpud #70: LXC + systemd + cri-containerd, cgroup v2; pid 461754 (pt_main_thread). */
  lxcSystemdContainerd: readFileSync(join(fixtures, 'corpus/syslog/kern-log-oom-kill-constraint-gpud70.log'), 'utf8').split('\n')[0]!.replace(/^.*? kernel: /, ''),
};
