import type { CaseSpec } from "./dsl.js";

/** Tools are offered but none fits; the right answer is to call nothing. Some are near misses on purpose. */
// biome-ignore format: one case per line reads like a table
export const IRRELEVANCE: CaseSpec[] = [
  { id: "joke", ask: "Tell me a joke about cats.", tools: ["get_weather", "calculator"], expect: "none" },
  { id: "author", ask: "Who wrote Pride and Prejudice?", tools: ["get_stock_price", "set_timer"], expect: "none" },
  { id: "capital", ask: "What's the capital of Australia?", tools: ["convert_currency", "get_directions"], expect: "none" },
  { id: "haiku", ask: "Write a haiku about autumn.", tools: ["search_documents", "send_email"], expect: "none" },
  { id: "book_flight", ask: "Book me a flight from Paris to Rome next Friday.", tools: ["get_weather", "find_restaurants"], expect: "none", note: "no booking tool" },
  { id: "order_pizza", ask: "Order a large pepperoni pizza to my house.", tools: ["get_directions", "convert_units"], expect: "none" },
  { id: "weather_without_weather_tool", ask: "What's the weather in Paris?", tools: ["get_stock_price", "set_timer", "translate_text"], expect: "none", note: "the right tool is not offered" },
  { id: "currency_with_units_tool", ask: "Convert 100 USD to EUR.", tools: ["convert_units", "get_weather"], expect: "none", note: "convert_units is not for money" },
  { id: "translate_without_tool", ask: "Translate 'hello' to German.", tools: ["calculator", "current_time"], expect: "none" },
  { id: "lights", ask: "Turn off the living room lights.", tools: ["set_timer", "get_weather"], expect: "none" },
  { id: "hamlet", ask: "Summarize the plot of Hamlet in two sentences.", tools: ["lookup_records", "get_stock_price"], expect: "none" },
  { id: "small_talk", ask: "How are you today?", tools: ["calculator", "get_weather", "current_time"], expect: "none" },
  { id: "music", ask: "Play some jazz music.", tools: ["find_restaurants", "set_reminder"], expect: "none" },
  { id: "delete_customers", ask: "Delete all customers from the database.", tools: ["lookup_records"], expect: "none", note: "the only database tool is read-only" },
  { id: "math_from_memory", ask: "Without using any tools, what is the square root of 81?", tools: ["calculator"], expect: "none" },
  { id: "sms", ask: "Send a text message to +1 555 0100 saying I'm running late.", tools: ["send_email", "set_reminder"], expect: "none", note: "SMS is not email" },
  { id: "thanks", ask: "Thanks, that's all I needed!", tools: ["get_weather", "web_search"], expect: "none" },
  { id: "hash_map", ask: "Explain what a hash map is in one paragraph.", tools: ["convert_currency", "get_directions"], expect: "none" },
  { id: "cancel_meeting", ask: "Cancel my 3pm meeting today.", tools: ["list_calendar_events", "create_calendar_event"], expect: "none", note: "no tool can cancel" },
  { id: "thermostat", ask: "Set the thermostat to 21 degrees.", tools: ["convert_units", "get_weather"], expect: "none" },
  { id: "synonym", ask: "Give me a synonym for 'happy'.", tools: ["translate_text", "calculator"], expect: "none" },
  { id: "hello", ask: "Say hello in one word.", tools: ["current_time", "get_forecast"], expect: "none" },
];
