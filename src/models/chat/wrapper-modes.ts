import type {
  ChatModelFunctions,
  ChatWrapper,
  ChatWrapperGenerateContextStateOptions,
  ChatWrapperGeneratedContextState,
} from "node-llama-cpp";
import { documentedParams } from "../../tools/index.js";

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

/**
 * A view of a node-llama-cpp wrapper that documents each function with the caller's JSON
 * Schema (`documentedParams`) instead of the grammar's normalised one, which stays what
 * LlamaChat generates calls under. The model reads the schema as its template would print it.
 */
export function documentedFunctionsView(wrapper: ChatWrapper): ChatWrapper {
  const view = Object.create(wrapper) as ChatWrapper;
  view.generateContextState = (options: ChatWrapperGenerateContextStateOptions) =>
    wrapper.generateContextState({
      ...options,
      availableFunctions:
        options.availableFunctions && withDocumentedParams(options.availableFunctions),
    });
  return view;
}

function withDocumentedParams(functions: ChatModelFunctions): ChatModelFunctions {
  return Object.fromEntries(
    Object.entries(functions).map(([name, fn]) => [
      name,
      { ...fn, params: (documentedParams(fn) as typeof fn.params) ?? fn.params },
    ]),
  );
}
