import { anyInt, anyUnit, type CaseSpec, call, noList, oneOf, optional, where } from "./dsl.js";

const km = oneOf("km", "kilometer", "kilometers", "kilometre", "kilometres");
const miles = oneOf("mile", "miles", "mi");

/** One tool offered, one call expected. */
// biome-ignore format: one case per line reads like a table
export const SIMPLE: CaseSpec[] = [
  { id: "weather_paris", ask: "What's the weather like in Paris right now?", tools: ["get_weather"], expect: call("get_weather", { city: oneOf("Paris", "Paris, France"), unit: anyUnit }) },
  { id: "weather_tokyo_f", ask: "Current temperature in Tokyo in Fahrenheit, please.", tools: ["get_weather"], expect: call("get_weather", { city: oneOf("Tokyo", "Tokyo, Japan"), unit: "fahrenheit" }) },
  { id: "weather_nairobi_c", ask: "Is it raining in Nairobi at the moment? Use Celsius.", tools: ["get_weather"], expect: call("get_weather", { city: oneOf("Nairobi", "Nairobi, Kenya"), unit: "celsius" }) },
  { id: "forecast_oslo", ask: "Give me the 5-day forecast for Oslo.", tools: ["get_forecast"], expect: call("get_forecast", { city: oneOf("Oslo", "Oslo, Norway"), days: 5, unit: anyUnit }) },
  { id: "forecast_lima_week", ask: "What will the weather be in Lima over the next 7 days, in fahrenheit?", tools: ["get_forecast"], expect: call("get_forecast", { city: oneOf("Lima", "Lima, Peru"), days: 7, unit: "fahrenheit" }) },
  { id: "calc_multiply", ask: "What is 1234 multiplied by 5678?", tools: ["calculator"], expect: call("calculator", { expression: oneOf("1234*5678", "5678*1234", "1234×5678", "1234x5678") }) },
  { id: "calc_sqrt", ask: "Compute the square root of 1764.", tools: ["calculator"], expect: call("calculator", { expression: oneOf("sqrt(1764)", "1764^0.5", "1764^(1/2)", "1764**0.5") }) },
  { id: "calc_percent", ask: "What's 15% of 240?", tools: ["calculator"], expect: call("calculator", { expression: oneOf("0.15*240", "240*0.15", "15%*240", "240*15%", "15/100*240", "240*15/100", "(15/100)*240") }) },
  { id: "calc_parentheses", ask: "Evaluate (17 + 25) * 3 - 8.", tools: ["calculator"], expect: call("calculator", { expression: oneOf("(17 + 25) * 3 - 8", "((17+25)*3)-8") }) },
  { id: "time_here", ask: "What time is it right now?", tools: ["current_time"], expect: call("current_time", { timezone: optional() }) },
  { id: "time_tokyo", ask: "What's the current time in Tokyo?", tools: ["current_time"], expect: call("current_time", { timezone: "Asia/Tokyo" }) },
  { id: "time_new_york", ask: "What time is it in New York?", tools: ["current_time"], expect: call("current_time", { timezone: "America/New_York" }) },
  { id: "docs_parental_leave", ask: "Search my documents for the parental leave policy.", tools: ["search_documents"], expect: call("search_documents", { query: oneOf("parental leave policy", "parental leave", "the parental leave policy"), k: anyInt(1, 20) }) },
  { id: "docs_q3_revenue_k3", ask: "Find the 3 most relevant passages about our Q3 revenue in my files.", tools: ["search_documents"], expect: call("search_documents", { query: oneOf("Q3 revenue", "our Q3 revenue", "Q3 revenue figures"), k: 3 }) },
  { id: "units_marathon", ask: "How many miles is 42.195 km?", tools: ["convert_units"], expect: call("convert_units", { value: 42.195, from_unit: km, to_unit: miles }) },
  { id: "units_pounds", ask: "Convert 150 pounds to kilograms.", tools: ["convert_units"], expect: call("convert_units", { value: 150, from_unit: oneOf("lb", "lbs", "pound", "pounds"), to_unit: oneOf("kg", "kilogram", "kilograms") }) },
  { id: "units_body_temp", ask: "What is 98.6 °F in Celsius?", tools: ["convert_units"], expect: call("convert_units", { value: 98.6, from_unit: oneOf("fahrenheit", "F", "°F", "degF"), to_unit: oneOf("celsius", "C", "°C", "degC") }) },
  { id: "currency_usd_eur", ask: "How much is 250 US dollars in euros?", tools: ["convert_currency"], expect: call("convert_currency", { amount: 250, from_currency: "USD", to_currency: "EUR" }) },
  { id: "currency_yen_pounds", ask: "Convert 10,000 yen to British pounds.", tools: ["convert_currency"], expect: call("convert_currency", { amount: 10000, from_currency: "JPY", to_currency: "GBP" }) },
  { id: "calendar_dentist", ask: "Put a dentist appointment in my calendar on 2025-03-14 at 09:30.", tools: ["create_calendar_event"], expect: call("create_calendar_event", { title: oneOf("Dentist appointment", "Dentist"), date: "2025-03-14", start_time: "09:30", duration_minutes: optional(15, 30, 45, 60), attendees: noList }) },
  { id: "calendar_standup", ask: "Schedule 'Team standup' on 2025-06-02 at 10:00 for 15 minutes with ana@example.com and li@example.com.", tools: ["create_calendar_event"], expect: call("create_calendar_event", { title: "Team standup", date: "2025-06-02", start_time: "10:00", duration_minutes: 15, attendees: oneOf(["ana@example.com", "li@example.com"], ["li@example.com", "ana@example.com"]) }) },
  { id: "calendar_list_day", ask: "What's on my calendar on 2025-04-01?", tools: ["list_calendar_events"], expect: call("list_calendar_events", { date: "2025-04-01", calendar: optional("work", "personal") }) },
  { id: "calendar_list_work", ask: "Show my work calendar for 2025-05-20.", tools: ["list_calendar_events"], expect: call("list_calendar_events", { date: "2025-05-20", calendar: "work" }) },
  { id: "web_node_release", ask: "Search the web for the release date of Node.js 22.", tools: ["web_search"], expect: call("web_search", { query: oneOf("Node.js 22 release date", "release date of Node.js 22", "Node.js 22 release", "Node 22 release date"), max_results: anyInt(1, 20) }) },
  { id: "web_sourdough_3", ask: "Find me 3 web results about sourdough starter recipes.", tools: ["web_search"], expect: call("web_search", { query: oneOf("sourdough starter recipes", "sourdough starter recipe", "sourdough starter"), max_results: 3 }) },
  { id: "lookup_pending_orders", ask: "Show me all orders with status pending.", tools: ["lookup_records"], expect: call("lookup_records", { table: "orders", where: where("status", "=", "pending"), order_by: optional(), limit: optional() }) },
  { id: "lookup_customers_france", ask: "List up to 10 customers located in France.", tools: ["lookup_records"], expect: call("lookup_records", { table: "customers", where: where("country", "=", "France"), order_by: optional(), limit: 10 }) },
  { id: "lookup_products_over_50", ask: "Which products cost more than 50?", tools: ["lookup_records"], expect: call("lookup_records", { table: "products", where: where("price", ">", 50), order_by: optional("price"), limit: optional() }) },
  { id: "email_lunch", ask: "Email bob@example.com with the subject 'Lunch' and the text 'Are we still on for 12:30?'", tools: ["send_email"], expect: call("send_email", { to: ["bob@example.com"], subject: "Lunch", body: "Are we still on for 12:30?", cc: noList }) },
  { id: "timer_ten_minutes", ask: "Set a timer for 10 minutes.", tools: ["set_timer"], expect: call("set_timer", { duration_seconds: 600, label: optional() }) },
  { id: "timer_pasta", ask: "Start a 9 minute timer labelled pasta.", tools: ["set_timer"], expect: call("set_timer", { duration_seconds: 540, label: "pasta" }) },
  { id: "translate_station_fr", ask: "Translate 'Where is the train station?' into French.", tools: ["translate_text"], expect: call("translate_text", { text: "Where is the train station?", target_language: oneOf("French", "fr"), source_language: optional("English", "en") }) },
  { id: "translate_de_es", ask: "Translate the German sentence 'Ich habe Hunger' into Spanish.", tools: ["translate_text"], expect: call("translate_text", { text: "Ich habe Hunger", target_language: oneOf("Spanish", "es"), source_language: optional("German", "de") }) },
  { id: "stock_nvidia", ask: "What's NVIDIA's stock price right now?", tools: ["get_stock_price"], expect: call("get_stock_price", { symbol: "NVDA" }) },
  { id: "restaurants_rome", ask: "Find Italian restaurants in Rome.", tools: ["find_restaurants"], expect: call("find_restaurants", { city: oneOf("Rome", "Rome, Italy"), cuisine: "Italian", max_price: anyInt(1, 4) }) },
  { id: "restaurants_cheap_sushi", ask: "Cheap sushi places in Seattle, price level at most 2.", tools: ["find_restaurants"], expect: call("find_restaurants", { city: oneOf("Seattle", "Seattle, WA"), cuisine: "sushi", max_price: 2 }) },
  { id: "directions_walk_paris", ask: "How do I walk from the Louvre to the Eiffel Tower?", tools: ["get_directions"], expect: call("get_directions", { origin: oneOf("Louvre", "the Louvre", "Louvre Museum"), destination: oneOf("Eiffel Tower", "the Eiffel Tower"), mode: "walking" }) },
  { id: "directions_drive", ask: "Driving directions from Boston to Providence.", tools: ["get_directions"], expect: call("get_directions", { origin: oneOf("Boston", "Boston, MA"), destination: oneOf("Providence", "Providence, RI"), mode: "driving" }) },
  { id: "reminder_call_mom", ask: "Remind me to call mom in 30 minutes.", tools: ["set_reminder"], expect: call("set_reminder", { text: oneOf("call mom", "Call mom", "call your mom"), minutes_from_now: 30 }) },
  { id: "reminder_laundry", ask: "In two hours, remind me to move the laundry to the dryer.", tools: ["set_reminder"], expect: call("set_reminder", { text: oneOf("move the laundry to the dryer", "Move laundry to the dryer", "move the laundry to dryer"), minutes_from_now: 120 }) },
];
