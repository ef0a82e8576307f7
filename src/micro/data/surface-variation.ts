import type { Dice } from "./random.js";

/**
 * Training-only changes to a question's surface: a greeting or filler before it, a courtesy
 * after it, no capital, no final punctuation. A model trained on a few dozen bare templates
 * learns the templates (its held-out route and tool choice fell apart on a new opening word);
 * the same request inside varied openings and endings teaches it to look for the request.
 * None of these is a held-out wording, and the held-out split is never varied.
 */
const OPENINGS: readonly string[] = [
  "Hey, ",
  "Quick one: ",
  "Hearth, ",
  "OK, ",
  "So, ",
  "Hi! ",
  "Excuse me, ",
  "One more thing: ",
  "Question: ",
  "Hello, ",
  "Right, ",
  "Also, ",
];

const ENDINGS: readonly string[] = [
  " Thanks!",
  " Thank you.",
  " Please.",
  " Cheers.",
  " Thanks in advance.",
];

/** Words after which lower-casing the first letter keeps the sentence correct. */
const LOWER_CASE_SAFE =
  /^(What|How|Can|Could|Please|Tell|Which|Is|Does|Do|Who|Where|Why|Calculate|Compute|Add|Subtract|Multiply|Divide|Figure|Solve|Give|Result|Answer|Use|Work|Sum|Take|Split|Describe|Search|Some|Question|Look|Info|Need|Are|Thanks|Thank|Hello|Hi|Hey|Good|Time|Right|In|I'd|Introduce|Perfect|Great|Appreciate|Many|Bye|See|Goodbye|Catch|Talk|Morning|Greetings|All)\b/;

export function upperFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lowerFirst(text: string): string {
  return LOWER_CASE_SAFE.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

export function varySurface(dice: Dice, question: string): string {
  let text = question;
  if (dice.chance(0.15)) text = text.replace(/[.?!]$/, "");
  if (dice.chance(0.3)) text = `${dice.pick(OPENINGS)}${lowerFirst(text)}`;
  else if (dice.chance(0.15)) text = lowerFirst(text);
  if (/[.?!]$/.test(text) && dice.chance(0.15)) text = `${text}${dice.pick(ENDINGS)}`;
  return text;
}
