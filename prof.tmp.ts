import { microTemplateModelPath } from "./test/helpers/micro-template-model.js";
import { planEpisodes } from "./src/micro/data/episodes.js";
import { EpisodeRunner } from "./src/micro/data/run-episodes.js";
const runner = new EpisodeRunner({ modelPath: await microTemplateModelPath(), docsFolder: "examples/docs" });
const eps = planEpisodes({ split: "train", seed: 2, count: 40 });
await runner.run(eps[0]);
const t0 = performance.now(); let n = 0; const steps: Record<string, number> = {};
for (const ep of eps.slice(1)) { const ex = await runner.run(ep); n += ex.length; for (const e of ex) steps[e.step] = (steps[e.step] ?? 0) + 1; }
console.log("ms/episode", (performance.now() - t0) / 39, "examples", n, steps);
await runner.dispose();
