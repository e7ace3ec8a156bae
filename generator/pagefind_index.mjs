// Pagefind's Node API over the records generator/search.py writes to stdin, one JSON object
// ({url, content}) a line; the bundle goes to the folder given as the only argument.
// The npm wrapper runs the extended binary (Chinese segmentation) when the platform package has it.
// Up to IN_FLIGHT records are sent before their answers come back (the bundle is the same as
// one at a time: tested byte for byte), and stdin is read no faster than they are indexed.
import * as pagefind from "pagefind";
import { createInterface } from "node:readline";

const outputPath = process.argv[2];
const fail = (what, errors) => {
  console.error(`${what}: ${errors.join("; ")}`);
  process.exit(1);
};

const { index, errors } = await pagefind.createIndex({ keepIndexUrl: false });
if (errors.length) fail("createIndex", errors);
const IN_FLIGHT = 64;
const inFlight = new Set();
let records = 0;
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line) continue;
  const { url, content } = JSON.parse(line);
  const added = index.addHTMLFile({ url, content }).then((answer) => {
    if (answer.errors.length) fail(`addHTMLFile ${url}`, answer.errors);
    inFlight.delete(added);
  });
  inFlight.add(added);
  records += 1;
  if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
}
await Promise.all(inFlight);
const written = await index.writeFiles({ outputPath });
if (written.errors.length) fail("writeFiles", written.errors);
await pagefind.close();
console.log(JSON.stringify({ records }));
