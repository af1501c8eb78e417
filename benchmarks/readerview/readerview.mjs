// Firefox Reader View's article for saved pages: Mozilla Readability 0.6.0 on a jsdom document.
//
// Benchmark only (benchmarks/readerview_eval.py runs it; install with `npm ci --prefix benchmarks/readerview`).
// Reads one task a line on stdin, {"html": PATH, "url": ADDRESS, "out": DIR, "charset": ""}, and writes DIR/expected.html
// (the article's content) and DIR/expected-metadata.json (title, byline, ... as the fixtures in
// tests/fixtures/real/ have them), then prints one line {"out": DIR, "ok": true|false, "error": ...}.
// Readability runs with its defaults, as Firefox does; isProbablyReaderable is not asked.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { Readability } from "@mozilla/readability";
import { JSDOM, VirtualConsole } from "jsdom";

const quiet = new VirtualConsole(); // the pages' CSS and script warnings are not ours

function article(task) {
  // The bytes, not a string: jsdom finds the page's encoding from its <meta charset> as a browser does.
  // task.charset: the charset an HTTP header would give (a saved page lost it), which wins over the page's own.
  const contentType = task.charset ? `text/html; charset=${task.charset}` : "text/html";
  const dom = new JSDOM(readFileSync(task.html), { url: task.url, contentType, virtualConsole: quiet });
  const found = new Readability(dom.window.document).parse();
  dom.window.close();
  return found;
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  const task = JSON.parse(line);
  let reply;
  try {
    const found = article(task);
    mkdirSync(task.out, { recursive: true });
    writeFileSync(join(task.out, "expected.html"), found ? found.content : "");
    const meta = found
      ? {
          title: found.title, byline: found.byline, dir: found.dir, lang: found.lang, excerpt: found.excerpt,
          siteName: found.siteName, publishedTime: found.publishedTime,
        }
      : { title: null, byline: null };
    writeFileSync(join(task.out, "expected-metadata.json"), JSON.stringify(meta, null, 2));
    reply = { out: task.out, ok: found !== null };
  } catch (error) {
    reply = { out: task.out, ok: false, error: String(error).slice(0, 200) };
    mkdirSync(task.out, { recursive: true }); // cached as a failure: no article
    writeFileSync(join(task.out, "expected-metadata.json"), JSON.stringify({ title: null, byline: null, ...reply }));
    writeFileSync(join(task.out, "expected.html"), "");
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
}
