/**
 * The four prom-client classes the agent uses, loaded from their own modules. The package's entry
 * point also loads the default-metrics collectors, Summary, the Pushgateway (node:http and
 * node:https) and cluster aggregation (node:cluster): measured on Node 24, `require('prom-client')`
 * takes a process from 41 to 63 MiB RSS, these four modules to 45 MiB. The classes are the same
 * objects as the entry point's (one module cache), so its types describe them.
 */
import { createRequire } from 'node:module';
import type * as PromClient from 'prom-client';

const require = createRequire(import.meta.url);

export const Registry = require('prom-client/lib/registry.js') as typeof PromClient.Registry;
export const Counter = require('prom-client/lib/counter.js') as typeof PromClient.Counter;
export const Gauge = require('prom-client/lib/gauge.js') as typeof PromClient.Gauge;
export const Histogram = require('prom-client/lib/histogram.js') as typeof PromClient.Histogram;
export type Registry = PromClient.Registry;
export type Counter<T extends string = string> = PromClient.Counter<T>;
export type Gauge<T extends string = string> = PromClient.Gauge<T>;
export type Histogram<T extends string = string> = PromClient.Histogram<T>;
