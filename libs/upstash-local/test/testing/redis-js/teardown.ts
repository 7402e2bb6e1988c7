import { afterAll } from '@jest/globals';
import { stopSuiteServers } from './setup.js';

// NOTE: imported after the ported files, so this runs after their own afterAll hooks (their key cleanups).
afterAll(stopSuiteServers);
