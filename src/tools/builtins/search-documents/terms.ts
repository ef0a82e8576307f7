const STOPWORDS = new Set(
  (
    "a an and are as at be but by can do does did for from has have how i if in into is it its " +
    "me my of on or our so than that the their them then there these they this to was we were " +
    "what when where which who why will with you your about"
  ).split(" "),
);

/** Lower-cased words without stopwords, with a plural "s" removed so "tools" finds "tool". */
export function searchTerms(text: string): string[] {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 1 && !STOPWORDS.has(word))
    .map((word) =>
      word.length > 3 && word.endsWith("s") && !/(ss|us|is)$/.test(word) ? word.slice(0, -1) : word,
    );
}

/**
 * LangChain's BM25 retriever counts a query word by substring match in the raw text and splits
 * the query on spaces only, so "graph" would also count inside "paragraph" and "Graph" would not
 * count at all. Indexing words as `_word_` (and querying the same way) makes it exact-word,
 * case-insensitive matching without replacing the retriever.
 */
export function indexText(text: string): string {
  return searchTerms(text)
    .map((word) => `_${word}_`)
    .join(" ");
}

export function queryText(query: string): string {
  return [...new Set(searchTerms(query))].map((word) => `_${word}_`).join(" ");
}
