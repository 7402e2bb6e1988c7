// The test suite of @upstash/redis itself (ported from upstash/redis-js, see testing/redis-js/README.md), run with
// the package's public client against upstash-local over a private redis-server.
import './testing/redis-js/setup.js';
import './testing/redis-js/suite/index.js';
import './testing/redis-js/teardown.js';
