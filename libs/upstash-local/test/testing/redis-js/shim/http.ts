export { HttpClient } from './internals.js';
