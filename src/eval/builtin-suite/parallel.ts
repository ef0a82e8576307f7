import { anyInt, anyUnit, type CaseSpec, call, noList, oneOf, optional, where } from "./dsl.js";

const weather = (...cities: unknown[]) =>
  call("get_weather", { city: oneOf(...cities), unit: anyUnit });
const stock = (...symbols: string[]) => call("get_stock_price", { symbol: oneOf(...symbols) });
const usdTo = (currency: string) =>
  call("convert_currency", { amount: 100, from_currency: "USD", to_currency: currency });
const sqrt = (n: number) =>
  call("calculator", { expression: oneOf(`sqrt(${n})`, `${n}^0.5`, `${n}**0.5`, `${n}^(1/2)`) });
const event = (title: string, start: string) =>
  call("create_calendar_event", {
    title,
    date: "2025-10-01",
    start_time: start,
    duration_minutes: optional(30, 45, 60, 90),
    attendees: noList,
  });

/** One tool, called several times with different arguments; the calls may come in any order. */
// biome-ignore format: one case per line reads like a table
export const PARALLEL: CaseSpec[] = [
  { id: "weather_three_capitals", ask: "What's the weather in London, Paris and Berlin?", tools: ["get_weather"], expect: [weather("London", "London, UK"), weather("Paris", "Paris, France"), weather("Berlin", "Berlin, Germany")] },
  { id: "weather_fahrenheit_pair", ask: "Current temperatures in Phoenix and Miami in Fahrenheit.", tools: ["get_weather"], expect: [call("get_weather", { city: oneOf("Phoenix", "Phoenix, AZ"), unit: "fahrenheit" }), call("get_weather", { city: oneOf("Miami", "Miami, FL"), unit: "fahrenheit" })] },
  { id: "forecast_rome_athens", ask: "Give me a 3-day forecast for Rome and a 5-day forecast for Athens.", tools: ["get_forecast"], expect: [call("get_forecast", { city: oneOf("Rome", "Rome, Italy"), days: 3, unit: anyUnit }), call("get_forecast", { city: oneOf("Athens", "Athens, Greece"), days: 5, unit: anyUnit })] },
  { id: "calc_three_squares", ask: "Compute 12*12, 15*15 and 99*99.", tools: ["calculator"], expect: [call("calculator", { expression: oneOf("12*12", "12^2") }), call("calculator", { expression: oneOf("15*15", "15^2") }), call("calculator", { expression: oneOf("99*99", "99^2") })] },
  { id: "calc_two_roots", ask: "What are the square roots of 144 and 225?", tools: ["calculator"], expect: [sqrt(144), sqrt(225)] },
  { id: "time_three_zones", ask: "What time is it in Tokyo, Sydney and Los Angeles?", tools: ["current_time"], expect: [call("current_time", { timezone: "Asia/Tokyo" }), call("current_time", { timezone: "Australia/Sydney" }), call("current_time", { timezone: "America/Los_Angeles" })] },
  { id: "units_both_ways", ask: "Convert 10 km to miles and 5 miles to km.", tools: ["convert_units"], expect: [call("convert_units", { value: 10, from_unit: oneOf("km", "kilometers", "kilometres"), to_unit: oneOf("mi", "mile", "miles") }), call("convert_units", { value: 5, from_unit: oneOf("mi", "mile", "miles"), to_unit: oneOf("km", "kilometers", "kilometres") })] },
  { id: "currency_three_targets", ask: "Convert 100 USD to EUR, GBP and JPY.", tools: ["convert_currency"], expect: [usdTo("EUR"), usdTo("GBP"), usdTo("JPY")] },
  { id: "stock_three_companies", ask: "Get the stock prices of Apple, Google and Amazon.", tools: ["get_stock_price"], expect: [stock("AAPL"), stock("GOOGL", "GOOG"), stock("AMZN")] },
  { id: "translate_two_languages", ask: "Translate 'good morning' into Spanish and Italian.", tools: ["translate_text"], expect: [call("translate_text", { text: "good morning", target_language: oneOf("Spanish", "es"), source_language: optional("English", "en") }), call("translate_text", { text: "good morning", target_language: oneOf("Italian", "it"), source_language: optional("English", "en") })] },
  { id: "docs_two_queries", ask: "Search my documents for 'budget 2025' and for 'hiring plan'.", tools: ["search_documents"], expect: [call("search_documents", { query: "budget 2025", k: anyInt(1, 20) }), call("search_documents", { query: "hiring plan", k: anyInt(1, 20) })] },
  { id: "web_two_queries", ask: "Search the web for 'best hiking boots 2025' and 'waterproof tent reviews'.", tools: ["web_search"], expect: [call("web_search", { query: "best hiking boots 2025", max_results: anyInt(1, 20) }), call("web_search", { query: "waterproof tent reviews", max_results: anyInt(1, 20) })] },
  { id: "timers_eggs_rice", ask: "Set two timers: 3 minutes for the eggs and 12 minutes for the rice.", tools: ["set_timer"], expect: [call("set_timer", { duration_seconds: 180, label: optional("eggs", "the eggs") }), call("set_timer", { duration_seconds: 720, label: optional("rice", "the rice") })] },
  { id: "reminders_water_break", ask: "Remind me to drink water in 60 minutes and to take a break in 90 minutes.", tools: ["set_reminder"], expect: [call("set_reminder", { text: oneOf("drink water", "Drink water"), minutes_from_now: 60 }), call("set_reminder", { text: oneOf("take a break", "Take a break"), minutes_from_now: 90 })] },
  { id: "events_same_day", ask: "Create two events on 2025-10-01: 'Design review' at 11:00 and 'Retro' at 16:00.", tools: ["create_calendar_event"], expect: [event("Design review", "11:00"), event("Retro", "16:00")] },
  { id: "calendar_two_days", ask: "What's on my calendar on 2025-08-11 and 2025-08-12?", tools: ["list_calendar_events"], expect: [call("list_calendar_events", { date: "2025-08-11", calendar: optional("work", "personal") }), call("list_calendar_events", { date: "2025-08-12", calendar: optional("work", "personal") })] },
  { id: "restaurants_two_cities", ask: "Find ramen places in Osaka and taco places in Austin.", tools: ["find_restaurants"], expect: [call("find_restaurants", { city: oneOf("Osaka", "Osaka, Japan"), cuisine: "ramen", max_price: anyInt(1, 4) }), call("find_restaurants", { city: oneOf("Austin", "Austin, TX"), cuisine: oneOf("tacos", "taco", "mexican"), max_price: anyInt(1, 4) })] },
  { id: "directions_two_legs", ask: "Give me driving directions from Leeds to York and from York to Durham.", tools: ["get_directions"], expect: [call("get_directions", { origin: "Leeds", destination: "York", mode: "driving" }), call("get_directions", { origin: "York", destination: "Durham", mode: "driving" })] },
  { id: "lookup_two_countries", ask: "Look up our customers in Germany and our customers in Spain.", tools: ["lookup_records"], expect: [call("lookup_records", { table: "customers", where: where("country", "=", "Germany"), order_by: optional(), limit: optional() }), call("lookup_records", { table: "customers", where: where("country", "=", "Spain"), order_by: optional(), limit: optional() })] },
  { id: "emails_two_people", ask: "Email alice@example.com and, separately, carl@example.com with the subject 'Meeting moved' and the body 'Now at 3pm.'", tools: ["send_email"], expect: [call("send_email", { to: ["alice@example.com"], subject: "Meeting moved", body: "Now at 3pm.", cc: noList }), call("send_email", { to: ["carl@example.com"], subject: "Meeting moved", body: "Now at 3pm.", cc: noList })] },
  { id: "weather_four_cities", ask: "Check the weather in Mumbai, Delhi, Chennai and Kolkata.", tools: ["get_weather"], expect: [weather("Mumbai"), weather("Delhi", "New Delhi"), weather("Chennai"), weather("Kolkata")] },
  { id: "units_two_temperatures", ask: "Convert 0 °C and 100 °C to Fahrenheit.", tools: ["convert_units"], expect: [0, 100].map((value) => call("convert_units", { value, from_unit: oneOf("celsius", "C", "°C"), to_unit: oneOf("fahrenheit", "F", "°F") })) },
];
