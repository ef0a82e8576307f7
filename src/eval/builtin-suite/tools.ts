import type { EvalTool, JsonSchema } from "../suite-format/types.js";

function fn(
  name: string,
  description: string,
  properties: Record<string, JsonSchema>,
  required: string[],
): EvalTool {
  return {
    type: "function",
    function: { name, description, parameters: { type: "object", properties, required } },
  };
}

// Strings and lists carry maxLength/maxItems, as Hearth's own tools do: the grammar enforces them,
// so even a model that rambles ends its call inside a bounded length and the JSON stays complete.
const str = (description: string, maxLength = 80): JsonSchema => ({
  type: "string",
  description,
  maxLength,
});
// Ranges go in the description, not minimum/maximum: a grammar-constrained model cannot be held to
// those keywords (node-llama-cpp's JSON grammar ignores them), and the schema-valid rate would then
// measure the grammar's blind spot instead of the model.
const int = (description: string, minimum?: number, maximum?: number): JsonSchema => ({
  type: "integer",
  description:
    minimum === undefined
      ? description
      : `${description} ${maximum === undefined ? `At least ${minimum}.` : `From ${minimum} to ${maximum}.`}`,
});
const num = (description: string): JsonSchema => ({ type: "number", description });
const oneOf = (description: string, values: string[]): JsonSchema => ({
  type: "string",
  enum: values,
  description,
});
const list = (description: string): JsonSchema => ({
  type: "array",
  items: { type: "string", maxLength: 80 },
  maxItems: 8,
  description,
});

/**
 * The tools the built-in suite offers. The first three have the shapes of Hearth's built-in tools
 * (src/tools); the rest are realistic assistant tools written for this suite. Only their schemas
 * matter here: in graph mode each is backed by a stub that returns the case's canned result.
 */
export const BUILTIN_EVAL_TOOLS = {
  search_documents: fn(
    "search_documents",
    "Search the user's local document collection and return the most relevant passages.",
    {
      query: str("What to look for, in natural language.", 160),
      k: int("How many passages to return.", 1, 20),
    },
    ["query"],
  ),
  calculator: fn(
    "calculator",
    "Evaluate an arithmetic expression exactly. Supports + - * / ^, parentheses, sqrt() and %.",
    { expression: str("The expression to evaluate, e.g. (3 + 4) * 12.", 120) },
    ["expression"],
  ),
  current_time: fn(
    "current_time",
    "Get the current date and time, optionally in a given IANA time zone.",
    { timezone: str("IANA time zone such as Europe/Paris; the machine's zone when omitted.", 40) },
    [],
  ),
  get_weather: fn(
    "get_weather",
    "Get the current weather conditions for a city.",
    {
      city: str("City name, e.g. Lisbon."),
      unit: oneOf("Temperature unit.", ["celsius", "fahrenheit"]),
    },
    ["city"],
  ),
  get_forecast: fn(
    "get_forecast",
    "Get the daily weather forecast for a city for the coming days.",
    {
      city: str("City name."),
      days: int("Number of days to forecast, starting tomorrow.", 1, 10),
      unit: oneOf("Temperature unit.", ["celsius", "fahrenheit"]),
    },
    ["city", "days"],
  ),
  convert_units: fn(
    "convert_units",
    "Convert a quantity from one unit of measurement to another (length, mass, volume, temperature, speed).",
    {
      value: num("The quantity to convert."),
      from_unit: str("Unit of the given value, e.g. km, mile, kg, lb, celsius, liter."),
      to_unit: str("Unit to convert to."),
    },
    ["value", "from_unit", "to_unit"],
  ),
  convert_currency: fn(
    "convert_currency",
    "Convert an amount of money between currencies at today's rate.",
    {
      amount: num("Amount in the source currency."),
      from_currency: str("ISO 4217 code of the source currency, e.g. USD.", 16),
      to_currency: str("ISO 4217 code of the target currency, e.g. EUR.", 16),
    },
    ["amount", "from_currency", "to_currency"],
  ),
  create_calendar_event: fn(
    "create_calendar_event",
    "Create an event in the user's calendar.",
    {
      title: str("Short title of the event.", 120),
      date: str("Date in YYYY-MM-DD format.", 20),
      start_time: str("Start time in 24-hour HH:MM format.", 16),
      duration_minutes: int("Length of the event in minutes.", 1),
      attendees: list("Email addresses of people to invite."),
    },
    ["title", "date"],
  ),
  list_calendar_events: fn(
    "list_calendar_events",
    "List the events in the user's calendar on a given date.",
    {
      date: str("Date in YYYY-MM-DD format.", 20),
      calendar: oneOf("Which calendar to read.", ["work", "personal"]),
    },
    ["date"],
  ),
  web_search: fn(
    "web_search",
    "Search the web and return result titles, links and snippets.",
    { query: str("Search query.", 160), max_results: int("Maximum number of results.", 1, 20) },
    ["query"],
  ),
  lookup_records: fn(
    "lookup_records",
    "Look up rows in the company database (a read-only SQL-like query on one table).",
    {
      table: oneOf("Table to read.", ["customers", "orders", "products"]),
      where: {
        type: "object",
        description: "Optional filter: one column compared with one value.",
        properties: {
          column: str("Column name, e.g. country, status, price."),
          op: oneOf("Comparison.", ["=", "!=", ">", "<", ">=", "<=", "contains"]),
          value: {
            type: ["string", "number"],
            maxLength: 80,
            description: "Value to compare with.",
          },
        },
        required: ["column", "op", "value"],
      },
      order_by: str("Column to sort by."),
      limit: int("Maximum number of rows.", 1, 1000),
    },
    ["table"],
  ),
  send_email: fn(
    "send_email",
    "Send an email from the user's account.",
    {
      to: list("Recipient email addresses."),
      subject: str("Subject line.", 120),
      body: str("Plain-text body.", 400),
      cc: list("Addresses to copy."),
    },
    ["to", "subject", "body"],
  ),
  set_timer: fn(
    "set_timer",
    "Start a countdown timer.",
    {
      duration_seconds: int("Timer length in seconds.", 1),
      label: str("Optional name shown when it rings."),
    },
    ["duration_seconds"],
  ),
  translate_text: fn(
    "translate_text",
    "Translate text into another language.",
    {
      text: str("The text to translate.", 300),
      target_language: str("Language to translate into, as an English name or ISO 639-1 code."),
      source_language: str("Language of the text; detected when omitted."),
    },
    ["text", "target_language"],
  ),
  get_stock_price: fn(
    "get_stock_price",
    "Get the latest trading price of a stock by its ticker symbol.",
    { symbol: str("Ticker symbol, e.g. AAPL.", 10) },
    ["symbol"],
  ),
  find_restaurants: fn(
    "find_restaurants",
    "Find restaurants in a city, optionally by cuisine and price level.",
    {
      city: str("City to search in."),
      cuisine: str("Kind of food, e.g. italian, sushi, vegan."),
      max_price: int("Highest price level from 1 (cheap) to 4 (expensive).", 1, 4),
    },
    ["city"],
  ),
  get_directions: fn(
    "get_directions",
    "Get a route between two places.",
    {
      origin: str("Start address or place."),
      destination: str("End address or place."),
      mode: oneOf("How to travel.", ["driving", "walking", "transit", "cycling"]),
    },
    ["origin", "destination"],
  ),
  set_reminder: fn(
    "set_reminder",
    "Remind the user of something after a delay.",
    {
      text: str("What to remind the user of.", 160),
      minutes_from_now: int("Delay in minutes.", 1),
    },
    ["text", "minutes_from_now"],
  ),
} satisfies Record<string, EvalTool>;

export type BuiltinToolName = keyof typeof BUILTIN_EVAL_TOOLS;
