// Names from the OpenTelemetry GenAI semantic conventions (development status): the attribute
// registry docs/registry/attributes/gen-ai.md and docs/gen-ai/gen-ai-spans.md, gen-ai-metrics.md
// in github.com/open-telemetry/semantic-conventions. Written out rather than imported from
// @opentelemetry/semantic-conventions/incubating, which its authors say not to depend on from a
// library (the incubating entry point changes in minor releases).

export const GEN_AI_OPERATION_NAME = "gen_ai.operation.name";
export const GEN_AI_PROVIDER_NAME = "gen_ai.provider.name";
/** Deprecated for `gen_ai.provider.name`; still emitted for backends that read conventions ≤ 1.36. */
export const GEN_AI_SYSTEM = "gen_ai.system";
export const GEN_AI_REQUEST_MODEL = "gen_ai.request.model";
export const GEN_AI_RESPONSE_MODEL = "gen_ai.response.model";
export const GEN_AI_REQUEST_TEMPERATURE = "gen_ai.request.temperature";
export const GEN_AI_REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
export const GEN_AI_REQUEST_TOP_K = "gen_ai.request.top_k";
export const GEN_AI_REQUEST_TOP_P = "gen_ai.request.top_p";
export const GEN_AI_REQUEST_SEED = "gen_ai.request.seed";
export const GEN_AI_REQUEST_STOP_SEQUENCES = "gen_ai.request.stop_sequences";
export const GEN_AI_OUTPUT_TYPE = "gen_ai.output.type";
export const GEN_AI_RESPONSE_FINISH_REASONS = "gen_ai.response.finish_reasons";
export const GEN_AI_USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
export const GEN_AI_USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
export const GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = "gen_ai.usage.cache_read.input_tokens";
export const GEN_AI_TOKEN_TYPE = "gen_ai.token.type";
export const GEN_AI_CONVERSATION_ID = "gen_ai.conversation.id";
export const GEN_AI_AGENT_NAME = "gen_ai.agent.name";
export const GEN_AI_TOOL_NAME = "gen_ai.tool.name";
export const GEN_AI_TOOL_CALL_ID = "gen_ai.tool.call.id";
export const GEN_AI_TOOL_TYPE = "gen_ai.tool.type";
export const GEN_AI_TOOL_CALL_ARGUMENTS = "gen_ai.tool.call.arguments";
export const GEN_AI_TOOL_CALL_RESULT = "gen_ai.tool.call.result";
export const ERROR_TYPE = "error.type";

export const METRIC_OPERATION_DURATION = "gen_ai.client.operation.duration";
export const METRIC_TOKEN_USAGE = "gen_ai.client.token.usage";

/** Bucket boundaries the conventions specify for the two client metrics. */
export const OPERATION_DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
export const TOKEN_USAGE_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

// Hearth's own, under its namespace: what the graph measures that the conventions do not name.
export const HEARTH_GRAPH_NODE = "hearth.graph.node";
export const HEARTH_GRAPH_ROUTE = "hearth.graph.route";
export const HEARTH_GRAPH_TOOL_ROUNDS = "hearth.graph.tool_rounds";
export const HEARTH_GRAPH_STOP_REASON = "hearth.graph.stop_reason";
export const HEARTH_GRAPH_VALIDATION = "hearth.graph.validation";
export const HEARTH_GRAPH_MODEL_CALLS = "hearth.graph.model_calls";
export const HEARTH_KV_EVALUATED_TOKENS = "hearth.kv_cache.evaluated_prompt_tokens";
export const HEARTH_RESPONSE_CACHED = "hearth.response.cached";
export const HEARTH_TOOL_CALL_OUTCOME = "hearth.tool.call.outcome";
export const HEARTH_TOOL_CALL_REPAIRED = "hearth.tool.call.repaired";

export const METRIC_NODE_DURATION = "hearth.graph.node.duration";
export const METRIC_TOOL_CALLS = "hearth.tool.calls";
