// Jest's setup file (jest.config.js `setupFiles`): every test process runs with V8's linear-time
// regexp engine on, as the CLI does (src/re2/linear-engine.ts says why it is never an import's side effect).
import { enableLinearRegexpEngine } from '../../src/re2/linear-engine.js';

enableLinearRegexpEngine();
