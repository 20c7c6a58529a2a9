/** Reading the OOM fixtures (test/fixtures/oom) and the corpus's OOM lines. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { readCorpusLines } from '../helpers/fixtures.js';

export { procFixture } from '../helpers/fixtures.js';

const oomDir = fileURLToPath(new URL('../fixtures/oom', import.meta.url));

/** test/fixtures/oom/<name>. */
export const oomFixture = (name: string): string => join(oomDir, name);
/** The kubelet log directories of the OOM fixtures. */
export const fixturePodsLogDir = join(oomDir, 'var-log', 'pods');
export const fixtureContainersLogDir = join(oomDir, 'var-log', 'containers');

/** A fixture's lines (messages), without the last empty line. */
export function oomLines(name: string): string[] {
  return readFileSync(oomFixture(name), 'utf8').split('\n').filter((l) => l !== '');
}

/** The corpus's real `oom-kill:` lines, message text only. */
export const corpusOomKill = {
  /** cadvisor #2417: cgroupfs Burstable, cgroup v1, docker ID; pid 966 (manager). */
  cgroupfsBurstable: readCorpusLines('messages', 'oom-messages-kernel-4.19-vs-5.4.txt')[5]!.replace(/^\[[^\]]*\] /, ''),
  /** gpud #70: LXC + systemd + cri-containerd, cgroup v2; pid 461754 (pt_main_thread). */
  lxcSystemdContainerd: readCorpusLines('syslog', 'kern-log-oom-kill-constraint-gpud70.log')[0]!.replace(/^.*? kernel: /, ''),
};
