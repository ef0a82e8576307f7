export {
  OpenAICompatibleChatModel,
  type OpenAICompatibleFields,
} from "./openai-chat-model.js";
