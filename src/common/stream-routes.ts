/** Route templates whose requests are relayed client streams (long-lived; kept out of API timeouts and latency histograms). */
export const RELAY_STREAM_ROUTE = /\/proxy(\/|$)|^\/relay\/|\/stream(\/|$)/;
