import { DEFAULT_SYSTEM_PROMPT } from "../../graph/prompts.js";

/**
 * The wording of questions and answers. Every question kind has two disjoint template sets:
 * TRAIN (what the model is trained on) and HELD-OUT (wordings it never sees, for the semantic
 * tests), picked by the generator's `split`.
 */
export type Split = "train" | "heldout";
export type Operator = "+" | "-" | "*" | "/";

export interface Operation {
  a: number;
  op: Operator;
  b: number;
}

const WORDS: Record<Operator, readonly string[]> = {
  "+": ["plus", "added to"],
  "-": ["minus", "take away"],
  "*": ["times", "multiplied by"],
  "/": ["divided by", "over"],
};

type ArithmeticTemplate = (o: Operation, word: string) => string;

const ARITHMETIC: Record<Split, readonly ArithmeticTemplate[]> = {
  train: [
    (o) => `What is ${o.a} ${o.op} ${o.b}?`,
    (o, w) => `compute ${o.a} ${w} ${o.b}`,
    (o, w) => `How much is ${o.a} ${w} ${o.b}?`,
    (o) => `Calculate ${o.a} ${o.op} ${o.b}.`,
    (o, w) => `What's ${o.a} ${w} ${o.b}?`,
    (o) => `${o.a} ${o.op} ${o.b}?`,
    (o, w) => `Please compute ${o.a} ${w} ${o.b}.`,
    (o) => `what is ${o.a}${o.op}${o.b}`,
    (o, w) => `I need ${o.a} ${w} ${o.b}.`,
    (o) => `Figure out ${o.a} ${o.op} ${o.b}.`,
    (o, w) => `Can you calculate ${o.a} ${w} ${o.b}?`,
    (o) => `What does ${o.a} ${o.op} ${o.b} equal?`,
    (o) => `Solve ${o.a} ${o.op} ${o.b}`,
    (o, w) => `Quick question: what is ${o.a} ${w} ${o.b}?`,
    (o, w) => `${o.a} ${w} ${o.b}`,
    (o, w) => `Give me ${o.a} ${w} ${o.b}.`,
    (o) => `What would ${o.a} ${o.op} ${o.b} be?`,
    (o) => `Result of ${o.a} ${o.op} ${o.b}?`,
    (o, w) => `Do the math: ${o.a} ${w} ${o.b}`,
    (o, w) => `${o.a} ${w} ${o.b} is what?`,
    (o) => `Answer this: ${o.a} ${o.op} ${o.b}`,
    (o) => `${o.a} ${o.op} ${o.b} equals?`,
    (o) => `What's ${o.a}${o.op}${o.b}?`,
    (o, w) => `Could you compute ${o.a} ${w} ${o.b}?`,
    (o) => `Use the calculator on ${o.a} ${o.op} ${o.b}.`,
    (o, w) => `How big is ${o.a} ${w} ${o.b}?`,
    (o) => `calc ${o.a} ${o.op} ${o.b}`,
    (o, w) => `Work it out: ${o.a} ${w} ${o.b}.`,
    (o, w) => `What number is ${o.a} ${w} ${o.b}?`,
    (o) => `Determine ${o.a} ${o.op} ${o.b}.`,
    (o, w) => `What does ${o.a} ${w} ${o.b} come to?`,
    (o) => `I'd like the result of ${o.a} ${o.op} ${o.b}.`,
    (o, w) => `Crunch the numbers: ${o.a} ${w} ${o.b}.`,
    (o) => `Run ${o.a} ${o.op} ${o.b} through the calculator.`,
    (o) => `Do ${o.a} ${o.op} ${o.b}, please.`,
  ],
  heldout: [
    (o) => `Can you work out ${o.a} ${o.op} ${o.b}?`,
    (o) => `${o.a} ${o.op} ${o.b} = ?`,
    (o, w) => `Please tell me ${o.a} ${w} ${o.b}.`,
    (o, w) => `What do you get from ${o.a} ${w} ${o.b}?`,
    (o) => `Evaluate ${o.a} ${o.op} ${o.b} for me.`,
  ],
};

/** Phrasings that name the operation instead of its symbol. */
const NAMED: Record<Split, Partial<Record<Operator, readonly ArithmeticTemplate[]>>> = {
  train: {
    "+": [
      (o) => `Add ${o.a} and ${o.b}.`,
      (o) => `What is the sum of ${o.a} and ${o.b}?`,
      (o) => `Sum up ${o.a} and ${o.b}.`,
      (o) => `${o.a} and ${o.b} added together?`,
      (o) => `Increase ${o.a} by ${o.b}.`,
    ],
    "-": [
      (o) => `Subtract ${o.b} from ${o.a}.`,
      (o) => `Take ${o.b} away from ${o.a}.`,
      (o) => `Reduce ${o.a} by ${o.b}.`,
    ],
    "*": [
      (o) => `Multiply ${o.a} by ${o.b}.`,
      (o) => `What is the product of ${o.a} and ${o.b}?`,
      (o) => `Multiply ${o.a} and ${o.b} together.`,
      (o) => `What do ${o.a} lots of ${o.b} make?`,
    ],
    "/": [
      (o) => `Divide ${o.a} by ${o.b}.`,
      (o) => `Split ${o.a} into ${o.b} equal parts.`,
      (o) => `Share ${o.a} equally among ${o.b}.`,
    ],
  },
  heldout: {
    "+": [(o) => `What's the total of ${o.a} and ${o.b}?`],
    "-": [(o) => `What is the difference between ${o.a} and ${o.b}?`],
    "*": [(o) => `Find the product of ${o.a} and ${o.b}.`],
    "/": [(o) => `How many times does ${o.b} go into ${o.a}?`],
  },
};

export function arithmeticTemplates(split: Split, op: Operator): ArithmeticTemplate[] {
  return [...ARITHMETIC[split], ...(NAMED[split][op] ?? [])];
}

export function operatorWords(op: Operator): readonly string[] {
  return WORDS[op];
}

export const ARITHMETIC_ANSWERS: readonly ((expression: string, result: string) => string)[] = [
  (expression, result) => `${expression} = ${result}.`,
  (_expression, result) => `The answer is ${result}.`,
  (expression, result) => `${expression} is ${result}.`,
];

type PlaceTemplate = (place: string) => string;

export const TIME_QUESTIONS: Record<Split, readonly PlaceTemplate[]> = {
  train: [
    (p) => `What time is it in ${p}?`,
    (p) => `What's the time in ${p} right now?`,
    (p) => `current time in ${p}`,
    (p) => `Tell me the time in ${p}.`,
    (p) => `What is the local time in ${p}?`,
    (p) => `time in ${p}?`,
    (p) => `Which day and time is it now in ${p}?`,
    (p) => `What time is it now in ${p}?`,
    (p) => `Tell me the current time in ${p}, please.`,
    (p) => `What's the current time in ${p}?`,
    (p) => `I'd like to know the time in ${p}.`,
    (p) => `${p} time?`,
    (p) => `In ${p}, what time is it?`,
    (p) => `What hour is it in ${p}?`,
    (p) => `Give me the time in ${p}.`,
    (p) => `How late is it in ${p}?`,
    (p) => `Time in ${p}, please.`,
    (p) => `Can you tell me the time in ${p}?`,
    (p) => `What day and hour is it in ${p}?`,
    (p) => `Right now in ${p}, what's the time?`,
    (p) => `${p} local time`,
    (p) => `Need the time in ${p}.`,
    (p) => `Is it late in ${p} now?`,
    (p) => `Look up the time in ${p}.`,
    (p) => `${p} - what time is it there?`,
    (p) => `the time right now in ${p}`,
  ],
  heldout: [
    (p) => `Do you know what time it is in ${p}?`,
    (p) => `${p}: what's the local time?`,
    (p) => `What does the clock say in ${p} now?`,
    (p) => `Could you check the current time for ${p}?`,
  ],
};

export const TIME_ANSWERS: readonly ((place: string, clock: string, weekday: string) => string)[] =
  [
    (place, clock) => `It is ${clock} in ${place}.`,
    (place, clock, weekday) => `In ${place} it is ${clock} on ${weekday}.`,
    (place, clock) => `The time in ${place} is ${clock}.`,
  ];

export interface DirectTopic {
  reason: string;
  train: readonly string[];
  heldout: readonly string[];
  /** The answer; `tools` says which tools this thread has (a capabilities answer lists them). */
  answer: (tools: readonly string[]) => string;
}

const CAPABILITIES: Record<string, string> = {
  calculator: "do arithmetic",
  current_time: "tell the current time",
  search_documents: "search the local documents",
};

function listWords(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

export const DIRECT_TOPICS: readonly DirectTopic[] = [
  {
    reason: "a greeting needs no tools",
    train: [
      "Hello!",
      "Hi there",
      "Good morning",
      "hey",
      "Hello, Hearth.",
      "Good afternoon!",
      "Hey there!",
      "Hello",
      "Hi!",
      "Morning!",
      "Greetings.",
      "Hello again",
      "Hi Hearth!",
      "Yo",
      "Hiya!",
      "Howdy",
      "Hi, nice to meet you.",
      "Well, hello!",
      "Salutations!",
      "Heya",
      "Hello, friend!",
      "Hey, good to see you.",
      "A warm hello to you!",
      "Hi hi!",
      "Good day to you!",
      "Hey hey",
      "Hi, how are you?",
      "Hello there, Hearth!",
      "Hey, what's up?",
      "Hi again!",
    ],
    heldout: ["Good evening!", "Hi, how is it going?"],
    answer: () => "Hello! How can I help you?",
  },
  {
    reason: "thanks need no tools",
    train: [
      "Thanks!",
      "Thank you very much.",
      "thank you",
      "Great, thanks.",
      "Thanks a lot!",
      "Thanks, that's helpful.",
      "Thank you so much!",
      "Appreciate it.",
      "Thanks for the help.",
      "Perfect, thank you.",
      "Much appreciated!",
      "Thank you kindly.",
      "Awesome, thank you!",
      "Thx",
      "I'm grateful for your help.",
      "Brilliant, thanks a bunch.",
      "Thanks, that saved me a lot of effort.",
      "Thank you for answering.",
      "That's exactly what I needed, thanks.",
      "Ta!",
      "Thank you, that was useful.",
      "Nice, thanks!",
      "Thanks, got it.",
      "Great job, thank you!",
      "Thanks so much for that.",
    ],
    heldout: ["Cheers, that helped.", "Many thanks!"],
    answer: () => "You're welcome!",
  },
  {
    reason: "the question is about me",
    train: [
      "Who are you?",
      "What are you?",
      "What is your name?",
      "Who am I talking to?",
      "Introduce yourself.",
      "What should I call you?",
      "Are you a bot?",
      "Are you an AI?",
      "Who are you, exactly?",
      "What kind of assistant are you?",
      "Am I chatting with a human or a machine?",
      "What sort of thing are you, really?",
      "What are you called?",
      "Which assistant is this?",
      "Are you some kind of program?",
      "Who or what is answering me?",
      "Give me a short introduction.",
      "Do you have a name?",
      "Is there a language model behind these answers?",
      "What's your name?",
      "Who made you?",
    ],
    heldout: ["Tell me about yourself.", "Are you a person?"],
    answer: () => "I am Hearth, an assistant that runs entirely on this computer.",
  },
  {
    reason: "the question is about me",
    train: [
      "What can you do?",
      "How can you help me?",
      "What are you able to do?",
      "What do you do?",
      "What are you good at?",
      "What can I ask you?",
      "Which things can you help with?",
      "What are you capable of?",
      "What tasks can you handle?",
      "How could you be useful to me?",
      "What services do you offer?",
      "Show me what you can do.",
      "What's your specialty?",
      "What jobs can I give you?",
      "List the things you can do.",
      "What do you know how to do?",
      "Which features do you have?",
      "Which tools do you have?",
      "What can you help me with?",
      "What else can you do?",
    ],
    heldout: ["What are your skills?", "What kind of questions can you answer?"],
    answer: (tools) => `I can ${listWords(tools.map((name) => CAPABILITIES[name] ?? name))}.`,
  },
  {
    reason: "small talk needs no tools",
    train: [
      "How are you?",
      "How are you doing today?",
      "Are you well?",
      "How's your day going?",
      "How have you been?",
      "All good?",
      "Are you doing okay?",
      "How's everything?",
      "How's life?",
      "How are things?",
      "Having a good day?",
      "You doing alright?",
      "How's your week been?",
      "Keeping busy?",
      "How are you holding up?",
      "Hope you're doing well!",
      "Is your day treating you well?",
      "Are you in a good mood?",
      "How is it with you?",
      "Doing fine over there?",
      "Are things going well?",
    ],
    heldout: ["How do you feel today?", "Everything fine with you?"],
    answer: () => "I'm fine, thank you. How can I help?",
  },
  {
    reason: "a farewell needs no tools",
    train: [
      "Goodbye!",
      "Bye",
      "See you later.",
      "Good night!",
      "Bye for now.",
      "See you!",
      "Talk later.",
      "I'm done, goodbye.",
      "Catch you later!",
      "Take care!",
      "Later!",
      "So long.",
      "Farewell.",
      "I'm heading off now, see you.",
      "Until next time!",
      "Signing off.",
      "I have to go now. Goodbye.",
      "Cya",
      "Bye, Hearth!",
      "I'm off now.",
      "Peace out!",
      "Okay, I'm leaving. Bye!",
    ],
    heldout: ["That's all for today, bye.", "Have a nice day!"],
    answer: () => "Goodbye!",
  },
];

export const ROUTE_REASONS = {
  arithmetic: "the question needs arithmetic",
  time: "the question asks for the current time",
  documents: "the question is about the documents",
} as const;

/** DEFAULT_SYSTEM_PROMPT most of the time (what `hearth ask` and the demo use), else one of these. */
export const ALTERNATIVE_SYSTEM_PROMPTS: readonly string[] = [
  "You are Hearth, a local assistant. Use the tools for arithmetic, the current time and questions about the documents, and answer in one or two sentences.",
  "You are Hearth. Answer briefly. Use a tool when the question needs a calculation, the time or the documents.",
  "You are Hearth, an offline assistant on this computer. Prefer tool results over your own knowledge and keep answers short.",
];

export { DEFAULT_SYSTEM_PROMPT };
