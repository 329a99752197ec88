require("reflect-metadata");
require("./dist-test/test/fixtures/echo-nodes");
const { buildGraph } = require("./dist-test/src/index");
const n = 150000; const spec = {};
for (let i = 0; i < n; i++) spec[`n${i}`] = { node: "Echo", inputs: { data: `\${n${(i + n - 1) % n}.data}` } };
let t = performance.now();
try { buildGraph(spec); } catch (e) { console.log(e.issues.length); }
console.log("cycle", performance.now() - t);
const spec2 = {};
for (let i = 0; i < n; i++) spec2[`n${i}`] = { node: "Echo", inputs: i ? { data: `\${n${i - 1}.data}` } : { data: 1 } };
t = performance.now(); buildGraph(spec2); console.log("chain", performance.now() - t);
