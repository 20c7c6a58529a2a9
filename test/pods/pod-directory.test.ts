import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPodDirectory, parseContainerLogName, parsePodDirName } from '../../src/pods/pod-directory.js';

const uid = 'eded8c65-6e8e-4c6e-a889-3e427565c740';
const otherUid = 'fbdfe8e3-1c87-4ff2-907c-b2ec8e25d012';
const id = 'c'.repeat(64);

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

/** A temporary kubelet log root: `pods/<entry>/` and `containers/<entry>` as given (undefined: the directory is absent). */
function logDirs(pods: readonly string[] | undefined, containers: readonly string[] | undefined): { podsLogDir: string; containersLogDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'npd-log-'));
  roots.push(root);
  const podsLogDir = join(root, 'pods');
  const containersLogDir = join(root, 'containers');
  if (pods) {
    mkdirSync(podsLogDir);
    for (const e of pods) mkdirSync(join(podsLogDir, e));
  }
  if (containers) {
    mkdirSync(containersLogDir);
    for (const e of containers) writeFileSync(join(containersLogDir, e), '');
  }
  return { podsLogDir, containersLogDir };
}

describe('the names of the log directories', () => {
  test('a pod directory name needs three non-empty parts', () => {
    expect(parsePodDirName(`ml_trainer-0_${uid}`)).toEqual({ namespace: 'ml', name: 'trainer-0', uid });
    expect(parsePodDirName(`ml__${uid}`)).toBeUndefined();
    expect(parsePodDirName(`_trainer-0_${uid}`)).toBeUndefined();
    expect(parsePodDirName('ml_trainer-0_')).toBeUndefined();
    expect(parsePodDirName(`ml_trainer_0_${uid}`)).toBeUndefined();
  });

  test('a container log name is the whole entry: pod, namespace, container, 64-hex ID, .log', () => {
    expect(parseContainerLogName(`trainer-0_ml_pytorch-${id}.log`)).toEqual({ container: 'pytorch', containerId: id });
    expect(parseContainerLogName(`_trainer-0_ml_pytorch-${id}.log`)).toBeUndefined();
    expect(parseContainerLogName(`trainer-0_ml_pytorch-${id}.log.1`)).toBeUndefined();
  });
});

describe('the lookups', () => {
  test('a pod by UID, whether or not it was looked up before, and its presence', () => {
    const dirs = logDirs([`kube-system_metrics-server-0_${otherUid}`, `ml_trainer-0_${uid}`], []);
    const directory = createPodDirectory(dirs);
    expect(directory.exists(uid)).toBe(true);
    expect(directory.exists(otherUid)).toBe(true);
    expect(directory.pod(uid)).toEqual({ namespace: 'ml', name: 'trainer-0', uid });
    expect(directory.exists(uid)).toBe(true);
    expect(directory.exists('0330b2c1-a15b-4cdd-b5e5-72d4a90bee82')).toBe(false);
  });

  test('a pod whose directory is removed is gone, for a pod known before too', () => {
    const dirs = logDirs([`ml_trainer-0_${uid}`], []);
    const directory = createPodDirectory(dirs);
    expect(directory.pod(uid)?.name).toBe('trainer-0');
    rmSync(join(dirs.podsLogDir, `ml_trainer-0_${uid}`), { recursive: true });
    expect(directory.exists(uid)).toBe(false);
    expect(directory.pod(uid)).toBeUndefined();
  });

  test('a directory whose name ends with the asked text but names another UID is not that pod', () => {
    const directory = createPodDirectory(logDirs(['ml_trainer-0_x'], []));
    expect(directory.pod('trainer-0_x')).toBeUndefined();
    expect(directory.pod('x')).toEqual({ namespace: 'ml', name: 'trainer-0', uid: 'x' });
  });

  test('a container name by ID; a file of another form with that ID is not a container log', () => {
    const directory = createPodDirectory(logDirs([], [`trainer-0_ml_pytorch-${id}.log`, `stray-${'d'.repeat(64)}.log`]));
    expect(directory.container(id)).toBe('pytorch');
    expect(directory.container('d'.repeat(64))).toBeUndefined();
    expect(directory.container('e'.repeat(64))).toBeUndefined();
  });

  test('on when either directory exists; lookups in a missing directory find nothing', () => {
    const onlyPods = createPodDirectory(logDirs([`ml_trainer-0_${uid}`], undefined));
    expect(onlyPods.enabled).toBe(true);
    expect(onlyPods.container(id)).toBeUndefined();
    const onlyContainers = createPodDirectory(logDirs(undefined, [`trainer-0_ml_pytorch-${id}.log`]));
    expect(onlyContainers.enabled).toBe(true);
    expect(onlyContainers.pod(uid)).toBeUndefined();
    expect(onlyContainers.exists(uid)).toBe(false);
    expect(onlyContainers.container(id)).toBe('pytorch');
    const neither = createPodDirectory(logDirs(undefined, undefined));
    expect(neither.enabled).toBe(false);
  });
});
