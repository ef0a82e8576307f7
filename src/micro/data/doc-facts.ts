/**
 * Questions that examples/docs answers: the keywords a good `search_documents` query uses, the
 * file whose passage must come first for that query (a test runs the real tool to check), the
 * answer written from that passage, and two disjoint sets of phrasings (train, held-out).
 */
export interface DocFact {
  query: string;
  /** File name of the passage the query must retrieve first. */
  source: string;
  /**
   * Words of the passage the answer rests on: checked to be in the retrieved text, and in the
   * answer (Markdown code marks aside), so an answer that uses the passage can be recognised.
   */
  evidence: string;
  answer: string;
  /**
   * What the fact is about, as short noun phrases: the training split also asks about them
   * through TOPIC_FRAMES, so the model learns to read the topic out of a wording it never saw
   * whole (a few fixed questions per fact only teach those questions).
   */
  topics: readonly string[];
  train: readonly string[];
  heldout: readonly string[];
}

export const DOC_FACTS: readonly DocFact[] = [
  {
    query: "tool rounds limit",
    topics: ["the tool round limit", "tool rounds", "the number of tool rounds"],
    source: "agent-graph.md",
    evidence: "at most three tool rounds",
    answer: "The graph allows at most three tool rounds.",
    train: [
      "How many tool rounds does the graph allow?",
      "What is the limit on tool rounds?",
      "How many rounds of tool calls can the agent make?",
    ],
    heldout: ["Is there a maximum number of tool rounds?", "tool rounds: what is the cap?"],
  },
  {
    query: "tool call fails validation error message",
    topics: ["invalid tool calls", "tool argument validation", "failed tool calls"],
    source: "agent-graph.md",
    evidence: "becomes an error message for the model",
    answer:
      "Arguments are validated against the tool's schema before the tool runs; a call that fails validation becomes an error message for the model instead of an exception.",
    train: [
      "What happens when a tool call fails validation?",
      "Are tool arguments validated?",
      "What if a tool call has invalid arguments?",
    ],
    heldout: ["Does a bad tool call crash the agent?", "How are invalid tool arguments handled?"],
  },
  {
    query: "route node grammar choice",
    topics: ["the route node", "routing", "the routing decision"],
    source: "agent-graph.md",
    evidence: "one grammar-constrained choice",
    answer:
      "The route node decides, with one grammar-constrained choice, whether the question needs tools or can be answered directly.",
    train: [
      "What does the route node do?",
      "How does the agent decide whether to use tools?",
      "What decides if a question needs tools?",
    ],
    heldout: ["Tell me about the routing step.", "How is a question routed?"],
  },
  {
    query: "checkpointer threads SQLite thread_id",
    topics: ["conversation threads", "chat memory", "the checkpointer"],
    source: "agent-graph.md",
    evidence: "SQLite for persistence",
    answer:
      "A checkpointer keeps conversation threads, in memory by default or in SQLite for persistence, so multi-turn chats work with a thread_id.",
    train: [
      "How are conversation threads kept?",
      "Where are multi-turn chats stored?",
      "What keeps the conversation between questions?",
    ],
    heldout: ["Can conversations persist between runs?", "How does memory of a chat work?"],
  },
  {
    query: "hearth bench speed first token",
    topics: ["hearth bench", "the bench command", "measuring speed"],
    source: "cli.md",
    evidence: "measures speed",
    answer:
      "hearth bench measures speed: prompt tokens per second, generated tokens per second and the time to the first token.",
    train: [
      "What does hearth bench do?",
      "Which command measures speed?",
      "What does the bench command report?",
    ],
    heldout: ["How can I measure how fast the model is?", "Tell me what hearth bench measures."],
  },
  {
    query: "hearth eval success rate",
    topics: ["hearth eval", "the eval command", "function-calling quality"],
    source: "cli.md",
    evidence: "success rate",
    answer:
      "hearth eval runs a function-calling suite and reports the success rate: how often the model picks the right tool with valid arguments.",
    train: [
      "What does hearth eval report?",
      "What is the eval command for?",
      "How do I check function-calling quality?",
    ],
    heldout: ["What does hearth eval measure?", "Explain the eval command."],
  },
  {
    query: "hearth ask question",
    topics: ["hearth ask", "the ask command", "asking one question"],
    source: "cli.md",
    evidence: "answers one question with the agent graph",
    answer: "hearth ask answers one question with the agent graph and the built-in tools.",
    train: [
      "What does hearth ask do?",
      "How do I ask Hearth a question?",
      "What is the ask command?",
    ],
    heldout: ["Tell me about hearth ask.", "Which command answers a single question?"],
  },
  {
    query: "threads cores decoding slower",
    topics: ["the thread count", "threads and cores", "CPU threads"],
    source: "model-selection.md",
    evidence: "many times slower",
    answer:
      "On CPU, using more threads than physical cores makes decoding many times slower, so Hearth sets the thread count from the detected cores.",
    train: [
      "Why does the number of threads matter?",
      "How many threads does Hearth use?",
      "What happens with more threads than cores?",
    ],
    heldout: ["Does the thread count affect speed?", "How does Hearth choose its threads?"],
  },
  {
    query: "hearth pull downloads model Hugging Face",
    topics: ["hearth pull", "the pull command", "downloading models"],
    source: "model-selection.md",
    evidence: "downloads the selected model from Hugging Face",
    answer:
      "hearth pull downloads the selected model from Hugging Face with node-llama-cpp's downloader, which shows progress and resumes.",
    train: [
      "How does hearth pull download a model?",
      "Where are models downloaded from?",
      "What does the pull command do?",
    ],
    heldout: ["Where does Hearth get its models?", "Explain hearth pull."],
  },
  {
    query: "select model hardware memory catalog",
    topics: ["model selection", "picking a model", "selectModel"],
    source: "model-selection.md",
    evidence: "selectModel(hardware, options)",
    answer:
      "selectModel(hardware, options) chooses from a catalog of GGUF models, preferring the best function-calling score that fits in memory.",
    train: [
      "How does Hearth pick a model?",
      "How is a model selected for the machine?",
      "What does selectModel do?",
    ],
    heldout: ["Which model will Hearth choose?", "How does model selection work?"],
  },
  {
    query: "grammar forced valid tool call",
    topics: ["grammars", "valid tool calls", "the tool call grammar"],
    source: "tools-and-grammars.md",
    evidence: "the grammar only allows tokens",
    answer:
      "While the model writes a tool call, the grammar only allows tokens that keep the JSON valid for the schema.",
    train: [
      "How is a tool call forced to be valid?",
      "How do grammars keep tool calls valid?",
      "Why are tool calls always valid JSON?",
    ],
    heldout: ["What makes tool calls parse?", "How does the grammar constrain a call?"],
  },
  {
    query: "calculator evaluates arithmetic without eval",
    topics: ["the calculator", "calculator safety", "calculator operations"],
    source: "tools-and-grammars.md",
    evidence: "without `eval`",
    answer:
      "calculator evaluates arithmetic safely, without eval: + - * / % ^, parentheses, sqrt, abs, round, min, max, pi and e.",
    train: [
      "What can the calculator tool do?",
      "Which operations does the calculator support?",
      "How does the calculator evaluate expressions?",
    ],
    heldout: ["Tell me about the calculator tool.", "Is the calculator safe?"],
  },
  {
    query: "pattern minimum maximum checked after generation",
    topics: ["schema keywords", "pattern and minimum", "what the grammar cannot check"],
    source: "tools-and-grammars.md",
    evidence: "cannot be expressed in the grammar",
    answer:
      "Keywords such as pattern, minimum and maximum cannot be expressed in the grammar; Hearth checks them after generation with the tool's real schema.",
    train: [
      "What can the grammar not check?",
      "How are pattern and minimum checked?",
      "Which schema keywords are checked after generation?",
    ],
    heldout: [
      "What happens with a pattern in a tool schema?",
      "Are all schema keywords enforced by the grammar?",
    ],
  },
  {
    query: "local-first no API keys cloud telemetry",
    topics: ["privacy", "cloud calls", "API keys"],
    source: "what-is-hearth.md",
    evidence: "no API keys",
    answer:
      "Hearth is a local-first agent runtime: nothing leaves the machine, with no API keys, no cloud calls and no telemetry.",
    train: [
      "Does Hearth send data to the cloud?",
      "What is Hearth?",
      "Does Hearth need an API key?",
    ],
    heldout: ["Is Hearth private?", "Does anything leave my machine with Hearth?"],
  },
  {
    query: "replace ChatOllama ChatOpenAI LangChain",
    topics: ["LangChain compatibility", "ChatNodeLlamaCpp", "replacing ChatOpenAI"],
    source: "what-is-hearth.md",
    evidence: "replace `ChatOllama` or `ChatOpenAI`",
    answer:
      "ChatNodeLlamaCpp is a regular LangChain chat model, so it can replace ChatOllama or ChatOpenAI in an existing app.",
    train: [
      "Can Hearth replace ChatOpenAI?",
      "Does ChatNodeLlamaCpp work with LangChain apps?",
      "Can I swap ChatOllama for Hearth?",
    ],
    heldout: [
      "Will Hearth work in my LangChain app?",
      "Is ChatNodeLlamaCpp a LangChain chat model?",
    ],
  },
  {
    query: "who is Hearth for developers RAG offline",
    topics: ["Hearth's users", "who Hearth is for", "RAG developers"],
    source: "what-is-hearth.md",
    evidence: "developers who build",
    answer:
      "Hearth is for developers who build RAG apps and assistants with LangChain.js and want them to run offline, without a GPU.",
    train: [
      "Who is Hearth for?",
      "Who should use Hearth?",
      "What kind of developer is Hearth made for?",
    ],
    heldout: ["Who is the target user of Hearth?", "Is Hearth meant for RAG developers?"],
  },
];

/** Training-only ways of asking about a fact's topic; none is a held-out wording. */
export const TOPIC_FRAMES: readonly ((topic: string) => string)[] = [
  (topic) => `What do the docs say about ${topic}?`,
  (topic) => `I have a question about ${topic}.`,
  (topic) => `Describe ${topic}.`,
  (topic) => `${topic}?`,
  (topic) => `Info on ${topic}, please.`,
  (topic) => `What should I know about ${topic}?`,
  (topic) => `Can you look up ${topic}?`,
  (topic) => `Search the docs for ${topic}.`,
  (topic) => `Some details on ${topic}?`,
  (topic) => `Question about ${topic}.`,
  (topic) => `What is there to know about ${topic}?`,
  (topic) => `Look into ${topic}, please.`,
];
