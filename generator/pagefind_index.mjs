// Pagefind's Node API over the records generator/search.py writes to stdin, one JSON object
// ({url, content}) a line; the bundle goes to the folder given as the only argument.
// The npm wrapper runs the extended binary (Chinese segmentation) when the platform package has it.
import * as pagefind from "pagefind";
import { createInterface } from "node:readline";

const outputPath = process.argv[2];
const fail = (what, errors) => {
  console.error(`${what}: ${errors.join("; ")}`);
  process.exit(1);
};

const { index, errors } = await pagefind.createIndex({ keepIndexUrl: false });
if (errors.length) fail("createIndex", errors);
let records = 0;
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line) continue;
  const { url, content } = JSON.parse(line);
  const added = await index.addHTMLFile({ url, content });
  if (added.errors.length) fail(`addHTMLFile ${url}`, added.errors);
  records += 1;
}
const written = await index.writeFiles({ outputPath });
if (written.errors.length) fail("writeFiles", written.errors);
await pagefind.close();
console.log(JSON.stringify({ records }));
