// hearth/prometheus: Hearth's metrics in Prometheus's exposition format (prom-client).
export { PrometheusCallbackHandler } from "./callback-handler.js";
export { HearthMetrics, type HearthMetricsOptions } from "./hearth-metrics.js";
export { metricsHandler } from "./metrics-handler.js";
export { type SelectionLabels, selectionLabels, vramClass } from "./selection-labels.js";
export { metricsForServer, type ServerMetrics } from "./server-metrics.js";
