export { Agent, Dispatcher, Pool, request, type RequestOptions } from './undici-core.js';
