/**
 * Jest hooks for a server each test gets fresh: TLS certificates made once for the file or
 * `describe` block (openssl is slowish), `start(certs)` before each test and `close()` after it.
 * Read `.certs` and `.current` inside tests (they throw before the hooks have run).
 */
import { createTestCertificates, type TestCertificates } from './tls-certs.js';

/** What the hooks made, for the test that runs now. */
export interface PerTest<T> {
  readonly certs: TestCertificates;
  readonly current: T;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is read outside a test (before the hooks ran)`);
  return value;
}

/** Registers the hooks in the enclosing file or `describe`. */
export function perTestWithCerts<T extends { close(): Promise<void> }>(start: (certs: TestCertificates) => Promise<T>): PerTest<T> {
  let certs: TestCertificates | undefined;
  let current: T | undefined;
  beforeAll(async () => {
    certs = await createTestCertificates();
  });
  beforeEach(async () => {
    current = await start(need(certs, 'certs'));
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    get certs() {
      return need(certs, 'certs');
    },
    get current() {
      return need(current, 'the server');
    },
  };
}
