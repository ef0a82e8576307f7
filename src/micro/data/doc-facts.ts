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
    topics: [
      "the tool round limit",
      "tool rounds",
      "the number of tool rounds",
      "the round counter",
      "repeated tool calls",
      "the tool loop",
      "limits on tool calls",
    ],
    source: "agent-graph.md",
    evidence: "at most three tool rounds",
    answer: "The graph allows at most three tool rounds.",
    train: [
      "How many tool rounds does the graph allow?",
      "What is the limit on tool rounds?",
      "How many rounds of tool calls can the agent make?",
      "How many times can the agent call tools for one question?",
      "Can the agent keep calling tools forever?",
      "When does the graph stop letting the model use tools?",
      "What stops an endless loop of tool calls?",
    ],
    heldout: ["Is there a maximum number of tool rounds?", "tool rounds: what is the cap?"],
  },
  {
    query: "tool call fails validation error message",
    topics: [
      "invalid tool calls",
      "tool argument validation",
      "failed tool calls",
      "schema checks on arguments",
      "wrong tool arguments",
      "argument errors",
      "malformed tool calls",
    ],
    source: "agent-graph.md",
    evidence: "becomes an error message for the model",
    answer:
      "Arguments are validated against the tool's schema before the tool runs; a call that fails validation becomes an error message for the model instead of an exception.",
    train: [
      "What happens when a tool call fails validation?",
      "Are tool arguments validated?",
      "What if a tool call has invalid arguments?",
      "What does the model see when its arguments don't match the schema?",
      "Are arguments checked before a tool runs?",
      "What becomes of a call with wrong arguments?",
      "Is a schema mismatch turned into an error message?",
    ],
    heldout: ["Does a bad tool call crash the agent?", "How are invalid tool arguments handled?"],
  },
  {
    query: "route node grammar choice",
    topics: [
      "the route node",
      "routing",
      "the routing decision",
      "answering directly or with tools",
      "the direct-or-tools decision",
      "the first node of the graph",
      "choosing a path for a question",
    ],
    source: "agent-graph.md",
    evidence: "one grammar-constrained choice",
    answer:
      "The route node decides, with one grammar-constrained choice, whether the question needs tools or can be answered directly.",
    train: [
      "What does the route node do?",
      "How does the agent decide whether to use tools?",
      "What decides if a question needs tools?",
      "Which node chooses between answering directly and calling tools?",
      "Is free text parsed to pick a path?",
      "How does Hearth know a question can be answered without tools?",
    ],
    heldout: ["Tell me about the routing step.", "How is a question routed?"],
  },
  {
    query: "checkpointer threads SQLite thread_id",
    topics: [
      "conversation threads",
      "chat memory",
      "the checkpointer",
      "chat history",
      "saving conversations",
      "persistence",
      "multi-turn chats",
    ],
    source: "agent-graph.md",
    evidence: "SQLite for persistence",
    answer:
      "A checkpointer keeps conversation threads, in memory by default or in SQLite for persistence, so multi-turn chats work with a thread_id.",
    train: [
      "How are conversation threads kept?",
      "Where are multi-turn chats stored?",
      "What keeps the conversation between questions?",
      "Does Hearth remember earlier messages in a chat?",
      "What is thread_id used for?",
      "Can chat history be saved to a database?",
      "Where does the agent keep past turns by default?",
    ],
    heldout: ["Can conversations persist between runs?", "How does memory of a chat work?"],
  },
  {
    query: "hearth bench speed first token",
    topics: [
      "hearth bench",
      "the bench command",
      "measuring speed",
      "benchmarking",
      "tokens per second",
      "generation throughput",
      "model speed",
    ],
    source: "cli.md",
    evidence: "measures speed",
    answer:
      "hearth bench measures speed: prompt tokens per second, generated tokens per second and the time to the first token.",
    train: [
      "What does hearth bench do?",
      "Which command measures speed?",
      "What does the bench command report?",
      "How do I find out tokens per second?",
      "Which command times the first token?",
      "Is there a benchmark command?",
      "How do I test generation throughput?",
    ],
    heldout: ["How can I measure how fast the model is?", "Tell me what hearth bench measures."],
  },
  {
    query: "hearth eval success rate",
    topics: [
      "hearth eval",
      "the eval command",
      "function-calling quality",
      "tool-calling accuracy",
      "the function-calling suite",
      "the success rate",
      "scoring tool calls",
    ],
    source: "cli.md",
    evidence: "success rate",
    answer:
      "hearth eval runs a function-calling suite and reports the success rate: how often the model picks the right tool with valid arguments.",
    train: [
      "What does hearth eval report?",
      "What is the eval command for?",
      "How do I check function-calling quality?",
      "How often does the model pick the right tool?",
      "Is there a test suite for tool calling?",
      "How do I score a model on function calls?",
      "Which command checks tool choice and arguments?",
    ],
    heldout: ["What does hearth eval measure?", "Explain the eval command."],
  },
  {
    query: "hearth ask question",
    topics: [
      "hearth ask",
      "the ask command",
      "asking one question",
      "one-off questions from the terminal",
      "the ask subcommand",
      "questions on the command line",
      "the ask CLI",
    ],
    source: "cli.md",
    evidence: "answers one question with the agent graph",
    answer: "hearth ask answers one question with the agent graph and the built-in tools.",
    train: [
      "What does hearth ask do?",
      "How do I ask Hearth a question?",
      "What is the ask command?",
      "How do I query the agent from the terminal?",
      "Can I put one question to Hearth on the command line?",
      "What runs a question through the agent graph with the built-in tools?",
    ],
    heldout: ["Tell me about hearth ask.", "Which command answers a single question?"],
  },
  {
    query: "threads cores decoding slower",
    topics: [
      "the thread count",
      "threads and cores",
      "CPU threads",
      "physical cores",
      "decoding speed on CPU",
      "thread settings",
      "CPU decoding",
    ],
    source: "model-selection.md",
    evidence: "many times slower",
    answer:
      "On CPU, using more threads than physical cores makes decoding many times slower, so Hearth sets the thread count from the detected cores.",
    train: [
      "Why does the number of threads matter?",
      "How many threads does Hearth use?",
      "What happens with more threads than cores?",
      "Why is decoding slow with too many threads?",
      "Should I use more threads than CPU cores?",
      "Does Hearth use node-llama-cpp's default of four threads?",
      "What slows down generation on a CPU?",
    ],
    heldout: ["Does the thread count affect speed?", "How does Hearth choose its threads?"],
  },
  {
    query: "hearth pull downloads model Hugging Face",
    topics: [
      "hearth pull",
      "the pull command",
      "downloading models",
      "model downloads",
      "Hugging Face",
      "fetching weights",
      "resumable downloads",
    ],
    source: "model-selection.md",
    evidence: "downloads the selected model from Hugging Face",
    answer:
      "hearth pull downloads the selected model from Hugging Face with node-llama-cpp's downloader, which shows progress and resumes.",
    train: [
      "How does hearth pull download a model?",
      "Where are models downloaded from?",
      "What does the pull command do?",
      "Does the download resume if it stops?",
      "How do I fetch model weights?",
      "Does Hearth show download progress?",
    ],
    heldout: ["Where does Hearth get its models?", "Explain hearth pull."],
  },
  {
    query: "select model hardware memory catalog",
    topics: [
      "model selection",
      "picking a model",
      "selectModel",
      "the model catalog",
      "choosing a model for the hardware",
      "hardware-aware model choice",
      "models that fit in memory",
    ],
    source: "model-selection.md",
    evidence: "selectModel(hardware, options)",
    answer:
      "selectModel(hardware, options) chooses from a catalog of GGUF models, preferring the best function-calling score that fits in memory.",
    train: [
      "How does Hearth pick a model?",
      "How is a model selected for the machine?",
      "What does selectModel do?",
      "Will a model that doesn't fit in memory be chosen?",
      "What catalog of models does Hearth pick from?",
      "What decides the model for my hardware?",
      "Does Hearth prefer models with better tool-calling scores?",
    ],
    heldout: ["Which model will Hearth choose?", "How does model selection work?"],
  },
  {
    query: "grammar forced valid tool call",
    topics: [
      "grammars",
      "valid tool calls",
      "the tool call grammar",
      "constrained decoding",
      "GBNF",
      "JSON validity of calls",
      "grammar-constrained generation",
    ],
    source: "tools-and-grammars.md",
    evidence: "the grammar only allows tokens",
    answer:
      "While the model writes a tool call, the grammar only allows tokens that keep the JSON valid for the schema.",
    train: [
      "How is a tool call forced to be valid?",
      "How do grammars keep tool calls valid?",
      "Why are tool calls always valid JSON?",
      "Can the model write a tool call with broken JSON?",
      "What keeps the model from inventing a tool name?",
      "How is generation restricted while writing a call?",
      "What does GBNF do in Hearth?",
    ],
    heldout: ["What makes tool calls parse?", "How does the grammar constrain a call?"],
  },
  {
    query: "calculator evaluates arithmetic without eval",
    topics: [
      "the calculator",
      "calculator safety",
      "calculator operations",
      "math functions",
      "the arithmetic tool",
      "safe arithmetic",
      "eval in the calculator",
    ],
    source: "tools-and-grammars.md",
    evidence: "without `eval`",
    answer:
      "calculator evaluates arithmetic safely, without eval: + - * / % ^, parentheses, sqrt, abs, round, min, max, pi and e.",
    train: [
      "What can the calculator tool do?",
      "Which operations does the calculator support?",
      "How does the calculator evaluate expressions?",
      "Does the calculator use eval?",
      "Can the calculator do square roots?",
      "Which math functions are built in?",
      "Does the arithmetic tool handle parentheses?",
    ],
    heldout: ["Tell me about the calculator tool.", "Is the calculator safe?"],
  },
  {
    query: "pattern minimum maximum checked after generation",
    topics: [
      "schema keywords",
      "pattern and minimum",
      "what the grammar cannot check",
      "checks after generation",
      "regex constraints",
      "post-generation validation",
      "minimum and maximum",
    ],
    source: "tools-and-grammars.md",
    evidence: "cannot be expressed in the grammar",
    answer:
      "Keywords such as pattern, minimum and maximum cannot be expressed in the grammar; Hearth checks them after generation with the tool's real schema.",
    train: [
      "What can the grammar not check?",
      "How are pattern and minimum checked?",
      "Which schema keywords are checked after generation?",
      "When is a maximum on a number checked?",
      "Which JSON Schema rules are validated only once the output is written?",
      "Is a regex constraint enforced while generating?",
      "What validates the limits the grammar can't express?",
    ],
    heldout: [
      "What happens with a pattern in a tool schema?",
      "Are all schema keywords enforced by the grammar?",
    ],
  },
  {
    query: "local-first no API keys cloud telemetry",
    topics: [
      "privacy",
      "cloud calls",
      "API keys",
      "telemetry",
      "running locally",
      "sending data out",
      "offline use",
    ],
    source: "what-is-hearth.md",
    evidence: "no API keys",
    answer:
      "Hearth is a local-first agent runtime: nothing leaves the machine, with no API keys, no cloud calls and no telemetry.",
    train: [
      "Does Hearth send data to the cloud?",
      "What is Hearth?",
      "Does Hearth need an API key?",
      "Does Hearth phone home?",
      "Is there any telemetry?",
      "Do I need an OpenAI subscription to use Hearth?",
    ],
    heldout: ["Is Hearth private?", "Does anything leave my machine with Hearth?"],
  },
  {
    query: "replace ChatOllama ChatOpenAI LangChain",
    topics: [
      "LangChain compatibility",
      "ChatNodeLlamaCpp",
      "replacing ChatOpenAI",
      "drop-in replacement",
      "swapping chat models",
      "LangChain integration",
      "the LangChain interface",
    ],
    source: "what-is-hearth.md",
    evidence: "replace `ChatOllama` or `ChatOpenAI`",
    answer:
      "ChatNodeLlamaCpp is a regular LangChain chat model, so it can replace ChatOllama or ChatOpenAI in an existing app.",
    train: [
      "Can Hearth replace ChatOpenAI?",
      "Does ChatNodeLlamaCpp work with LangChain apps?",
      "Can I swap ChatOllama for Hearth?",
      "Can I drop Hearth into an existing app that uses Ollama?",
      "Do I have to rewrite my app to switch to a local model?",
      "Is Hearth a substitute for OpenAI's chat model in my code?",
    ],
    heldout: [
      "Will Hearth work in my LangChain app?",
      "Is ChatNodeLlamaCpp a LangChain chat model?",
    ],
  },
  {
    query: "who is Hearth for developers RAG offline",
    topics: [
      "Hearth's users",
      "who Hearth is for",
      "RAG developers",
      "Hearth's audience",
      "offline RAG apps",
      "the intended users",
      "apps without a GPU",
    ],
    source: "what-is-hearth.md",
    evidence: "developers who build",
    answer:
      "Hearth is for developers who build RAG apps and assistants with LangChain.js and want them to run offline, without a GPU.",
    train: [
      "Who is Hearth for?",
      "Who should use Hearth?",
      "What kind of developer is Hearth made for?",
      "What sort of projects is Hearth designed for?",
      "Is Hearth useful without a GPU?",
      "Could I use Hearth for a retrieval-augmented app that runs offline?",
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
  (topic) => `Can you find the part of the docs on ${topic}?`,
  (topic) => `Give me a summary of ${topic}.`,
  (topic) => `I'm curious about ${topic}.`,
  (topic) => `Anything in the documentation about ${topic}?`,
  (topic) => `Help me understand ${topic}.`,
  (topic) => `Check the documents on ${topic}, please.`,
  (topic) => `Fill me in on ${topic}.`,
  (topic) => `How does it work with ${topic}?`,
  (topic) => `What about ${topic}?`,
  (topic) => `${topic}: what do the docs say?`,
  (topic) => `Where do the docs cover ${topic}?`,
  (topic) => `Quick question on ${topic}.`,
  (topic) => `How do I learn more about ${topic}?`,
  (topic) => `What's the story with ${topic}?`,
  (topic) => `${topic} - how does that work?`,
  (topic) => `Is there anything on ${topic}?`,
  (topic) => `Can you explain ${topic} to me?`,
  (topic) => `What does Hearth do about ${topic}?`,
  (topic) => `Walk me through ${topic}.`,
];

/** A question without case, punctuation or spacing differences, to compare wordings. */
function wordsOf(question: string): string {
  return question
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

const HELD_OUT_WORDINGS = new Set(DOC_FACTS.flatMap((fact) => fact.heldout.map(wordsOf)));
const topicQuestionsOf = new Map<DocFact, readonly string[]>();

/**
 * The training split's questions about a fact's topics: every frame with every topic, less any
 * that would be a held-out wording (a frame such as "Explain {topic}." with the topic "hearth
 * pull" would be one), so the held-out split stays unseen however the lists grow.
 */
export function topicQuestions(
  fact: DocFact,
  frames: readonly ((topic: string) => string)[] = TOPIC_FRAMES,
): readonly string[] {
  const known = frames === TOPIC_FRAMES ? topicQuestionsOf.get(fact) : undefined;
  if (known) return known;
  const questions = frames
    .flatMap((frame) => fact.topics.map((topic) => frame(topic)))
    .filter((question) => !HELD_OUT_WORDINGS.has(wordsOf(question)));
  if (frames === TOPIC_FRAMES) topicQuestionsOf.set(fact, questions);
  return questions;
}
