import type {
  ChatModelFunctions,
  ChatWrapper,
  ChatWrapperGenerateContextStateOptions,
  ChatWrapperGeneratedContextState,
} from "node-llama-cpp";

/**
 * A view of the chat wrapper that always documents `functions` in the prompt but lets the
 * model write only a plain (or grammar-constrained) response.
 *
 * Why: node-llama-cpp documents tools in the system block only when `functions` are passed,
 * and `functions` cannot be combined with a grammar. Routing, structured output and forced
 * calls use a grammar; if they rendered a prompt without the tool docs, every switch between
 * them and a tool-calling step would break the shared prefix and re-evaluate the whole
 * conversation. Rendering the same docs keeps one stable prefix across all steps.
 */
export function documentOnlyWrapper(
  wrapper: ChatWrapper,
  functions: ChatModelFunctions | undefined,
): ChatWrapper {
  const view = Object.create(wrapper) as ChatWrapper;
  view.generateContextState = (
    options: ChatWrapperGenerateContextStateOptions,
  ): ChatWrapperGeneratedContextState => {
    const state = wrapper.generateContextState({
      ...options,
      availableFunctions: functions,
      documentFunctionParams: true,
    });
    return {
      contextText: state.contextText,
      stopGenerationTriggers: state.stopGenerationTriggers,
      // No thought segment or call prefix: the response (under its grammar) starts at once.
      detectFunctionCalls: false,
    };
  };
  return view;
}
