// hearth/testing: what tests need to run Hearth without real weights or a real model.
export {
  callTools,
  neverCalled,
  type Script,
  type ScriptedCall,
  ScriptedChatModel,
  type ScriptedModelOptions,
  type ScriptedStep,
  type ScriptReply,
  stepScript,
} from "./fake-chat-models.js";
export * from "./gguf-writer/index.js";
