import {
  anyUnit,
  assistant,
  assistantCalls,
  type CaseSpec,
  call,
  noList,
  oneOf,
  optional,
  toolResult,
  user,
  where,
} from "./dsl.js";

/** The last question only makes sense with the earlier turns (a city, an amount, a result to reuse). */
// biome-ignore format: one case per line reads like a table
export const MULTI_TURN: CaseSpec[] = [
  {
    id: "forecast_after_weather",
    ask: [user("What's the weather in Lisbon?"), assistantCalls("c1", ["get_weather", { city: "Lisbon" }]), toolResult("c1_0", "get_weather", { city: "Lisbon", temperature_c: 21, conditions: "sunny" }), assistant("It's 21 °C and sunny in Lisbon."), user("And the forecast there for the next 3 days?")],
    tools: ["get_weather", "get_forecast"],
    expect: call("get_forecast", { city: oneOf("Lisbon", "Lisbon, Portugal"), days: 3, unit: anyUnit }),
  },
  {
    id: "same_city_fahrenheit",
    ask: [user("What's the weather in Chicago?"), assistantCalls("c1", ["get_weather", { city: "Chicago" }]), toolResult("c1_0", "get_weather", { city: "Chicago", temperature_c: 4, conditions: "windy" }), assistant("It's 4 °C and windy in Chicago."), user("Can you give me that in Fahrenheit?")],
    tools: ["get_weather", "convert_units"],
    expect: { anyOf: [[call("get_weather", { city: oneOf("Chicago", "Chicago, IL"), unit: "fahrenheit" })], [call("convert_units", { value: 4, from_unit: oneOf("celsius", "C", "°C"), to_unit: oneOf("fahrenheit", "F", "°F") })]] },
    note: "re-asking in fahrenheit or converting the known value are both right",
  },
  {
    id: "currency_new_amount",
    ask: [user("Convert 100 USD to EUR."), assistantCalls("c1", ["convert_currency", { amount: 100, from_currency: "USD", to_currency: "EUR" }]), toolResult("c1_0", "convert_currency", { amount: 92.1, currency: "EUR" }), assistant("100 USD is about 92.10 EUR."), user("Now do 250.")],
    tools: ["convert_currency", "calculator"],
    expect: call("convert_currency", { amount: 250, from_currency: "USD", to_currency: "EUR" }),
  },
  {
    id: "currency_new_target",
    ask: [user("Convert 100 USD to EUR."), assistantCalls("c1", ["convert_currency", { amount: 100, from_currency: "USD", to_currency: "EUR" }]), toolResult("c1_0", "convert_currency", { amount: 92.1, currency: "EUR" }), assistant("100 USD is about 92.10 EUR."), user("What about in yen?")],
    tools: ["convert_currency", "calculator"],
    expect: call("convert_currency", { amount: 100, from_currency: "USD", to_currency: "JPY" }),
  },
  {
    id: "calc_reuse_result",
    ask: [user("What's 45 * 12?"), assistantCalls("c1", ["calculator", { expression: "45 * 12" }]), toolResult("c1_0", "calculator", "540"), assistant("45 × 12 = 540."), user("Divide that by 9.")],
    tools: ["calculator"],
    expect: call("calculator", { expression: oneOf("540/9", "(45*12)/9", "45*12/9") }),
  },
  {
    id: "time_other_city",
    ask: [user("What time is it in Tokyo?"), assistantCalls("c1", ["current_time", { timezone: "Asia/Tokyo" }]), toolResult("c1_0", "current_time", "2025-05-01T21:04:00+09:00"), assistant("It's 21:04 in Tokyo."), user("And in Berlin?")],
    tools: ["current_time", "get_weather"],
    expect: call("current_time", { timezone: "Europe/Berlin" }),
  },
  {
    id: "stock_next_company",
    ask: [user("What's Apple's stock price?"), assistantCalls("c1", ["get_stock_price", { symbol: "AAPL" }]), toolResult("c1_0", "get_stock_price", { symbol: "AAPL", price: 227.5 }), assistant("Apple (AAPL) is at $227.50."), user("And Netflix?")],
    tools: ["get_stock_price", "web_search"],
    expect: call("get_stock_price", { symbol: "NFLX" }),
  },
  {
    id: "book_free_day",
    ask: [user("What's on my calendar on 2025-03-03?"), assistantCalls("c1", ["list_calendar_events", { date: "2025-03-03" }]), toolResult("c1_0", "list_calendar_events", { events: [] }), assistant("Your calendar is free on 2025-03-03."), user("Great, book 'Lunch with Sam' at 12:30 that day.")],
    tools: ["list_calendar_events", "create_calendar_event"],
    expect: call("create_calendar_event", { title: "Lunch with Sam", date: "2025-03-03", start_time: "12:30", duration_minutes: optional(30, 45, 60, 90), attendees: noList }),
  },
  {
    id: "docs_more_results",
    ask: [user("Search my docs for the travel policy."), assistantCalls("c1", ["search_documents", { query: "travel policy" }]), toolResult("c1_0", "search_documents", { passages: [{ text: "Economy class for flights under 6 hours.", source: "travel.pdf" }] }), assistant("The travel policy says economy class for flights under 6 hours."), user("Show me 10 passages instead.")],
    tools: ["search_documents", "web_search"],
    expect: call("search_documents", { query: oneOf("travel policy", "the travel policy"), k: 10 }),
  },
  {
    id: "directions_walking_instead",
    ask: [user("Directions from King's Cross to the British Museum."), assistantCalls("c1", ["get_directions", { origin: "King's Cross", destination: "British Museum" }]), toolResult("c1_0", "get_directions", { mode: "driving", minutes: 12 }), assistant("It's a 12-minute drive."), user("How about walking?")],
    tools: ["get_directions", "find_restaurants"],
    expect: call("get_directions", { origin: oneOf("King's Cross", "Kings Cross", "King's Cross station", "Kings Cross station"), destination: oneOf("British Museum", "the British Museum"), mode: "walking" }),
  },
  {
    id: "restaurants_cheaper",
    ask: [user("Find sushi restaurants in Vancouver."), assistantCalls("c1", ["find_restaurants", { city: "Vancouver", cuisine: "sushi" }]), toolResult("c1_0", "find_restaurants", { results: [{ name: "Tojo's", price: 4 }, { name: "Miku", price: 3 }] }), assistant("Tojo's and Miku are popular, both pricey."), user("Only cheap ones, price level 1.")],
    tools: ["find_restaurants", "get_directions"],
    expect: call("find_restaurants", { city: oneOf("Vancouver", "Vancouver, BC"), cuisine: "sushi", max_price: 1 }),
  },
  {
    id: "translate_next_language",
    ask: [user("Translate 'good night' to Italian."), assistantCalls("c1", ["translate_text", { text: "good night", target_language: "Italian" }]), toolResult("c1_0", "translate_text", "buona notte"), assistant("'Good night' in Italian is 'buona notte'."), user("Now into Portuguese.")],
    tools: ["translate_text", "web_search"],
    expect: call("translate_text", { text: "good night", target_language: oneOf("Portuguese", "pt"), source_language: optional("English", "en") }),
  },
  {
    id: "email_same_to_another",
    ask: [user("Email jo@example.com with subject 'Draft' and body 'Draft attached.'"), assistantCalls("c1", ["send_email", { to: ["jo@example.com"], subject: "Draft", body: "Draft attached." }]), toolResult("c1_0", "send_email", { status: "sent" }), assistant("Sent."), user("Send the same email to kim@example.com too.")],
    tools: ["send_email", "set_reminder"],
    expect: call("send_email", { to: ["kim@example.com"], subject: "Draft", body: "Draft attached.", cc: noList }),
  },
  {
    id: "lookup_other_status",
    ask: [user("Show me the orders with status 'pending'."), assistantCalls("c1", ["lookup_records", { table: "orders", where: { column: "status", op: "=", value: "pending" } }]), toolResult("c1_0", "lookup_records", { rows: [{ id: 17, status: "pending" }], count: 1 }), assistant("There is one pending order, #17."), user("Now the cancelled ones.")],
    tools: ["lookup_records", "search_documents"],
    expect: call("lookup_records", { table: "orders", where: where("status", "=", "cancelled", "canceled"), order_by: optional(), limit: optional() }),
  },
  {
    id: "reminder_when_timer_ends",
    ask: [user("Set a timer for 20 minutes."), assistantCalls("c1", ["set_timer", { duration_seconds: 1200 }]), toolResult("c1_0", "set_timer", { status: "running", ends_in_seconds: 1200 }), assistant("Timer set for 20 minutes."), user("Also remind me to take the cake out when it's done.")],
    tools: ["set_timer", "set_reminder"],
    expect: call("set_reminder", { text: oneOf("take the cake out", "Take the cake out", "take the cake out of the oven"), minutes_from_now: 20 }),
  },
  {
    id: "units_another_target",
    ask: [user("Convert 5 km to miles."), assistantCalls("c1", ["convert_units", { value: 5, from_unit: "km", to_unit: "miles" }]), toolResult("c1_0", "convert_units", { value: 3.107, unit: "miles" }), assistant("5 km is about 3.11 miles."), user("And to meters?")],
    tools: ["convert_units", "calculator"],
    expect: { anyOf: [[call("convert_units", { value: 5, from_unit: oneOf("km", "kilometers", "kilometres"), to_unit: oneOf("m", "meter", "meters", "metre", "metres") })], [call("calculator", { expression: oneOf("5*1000", "1000*5") })]] },
  },
  {
    id: "thanks_after_answer",
    ask: [user("What's the weather in Rome?"), assistantCalls("c1", ["get_weather", { city: "Rome" }]), toolResult("c1_0", "get_weather", { city: "Rome", temperature_c: 27, conditions: "clear" }), assistant("It's 27 °C and clear in Rome."), user("Thanks! That's perfect.")],
    tools: ["get_weather", "get_forecast"],
    expect: "none",
    note: "nothing left to look up",
  },
];
