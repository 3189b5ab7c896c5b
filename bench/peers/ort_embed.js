// Peer for the embed benchmark: ONNX Runtime (npm onnxruntime-node) running the model that
// bench/peers/torch_embed.py exported from the PyTorch reference, over the same length-sorted batches as ours.
//   node bench/peers/ort_embed.js DIR MODEL.onnx THREADS WARMUP RUNS
// Writes DIR/ort.f32 (rows in input order); last line "sentences_per_second=X peak_rss_mb=Y".
const fs = require("fs");
const path = require("path");
const ort = require(path.join(__dirname, "..", "..", "tools", "reference", "node", "node_modules", "onnxruntime-node"));

function readBatches(directory) {
  const batches = [];
  let rows = [];
  const flush = () => {
    if (rows.length === 0) return;
    const width = Math.max(...rows.map((r) => r.ids.length));
    const ids = new BigInt64Array(rows.length * width);
    const mask = new BigInt64Array(rows.length * width);
    rows.forEach((r, b) => r.ids.forEach((id, t) => { ids[b * width + t] = BigInt(id); mask[b * width + t] = 1n; }));
    const dims = [rows.length, width];
    batches.push({
      indices: rows.map((r) => r.index),
      feeds: {
        input_ids: new ort.Tensor("int64", ids, dims),
        attention_mask: new ort.Tensor("int64", mask, dims),
        token_type_ids: new ort.Tensor("int64", new BigInt64Array(rows.length * width), dims),
      },
    });
    rows = [];
  };
  for (const line of fs.readFileSync(path.join(directory, "batches.txt"), "utf8").split("\n")) {
    if (line.trim() === "") { flush(); continue; }
    const values = line.trim().split(" ").map(Number);
    rows.push({ index: values[0], ids: values.slice(1) });
  }
  flush();
  return batches;
}

async function main() {
  const [directory, modelPath, threads, warmup, runs] = process.argv.slice(2);
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: Number(threads), interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all",
  });
  const batches = readBatches(directory);
  const count = batches.reduce((n, b) => n + b.indices.length, 0);
  const runAll = async () => {
    const out = new Array(count);
    for (const batch of batches) {
      const { embedding } = await session.run(batch.feeds);
      const width = embedding.dims[1];
      batch.indices.forEach((index, r) => { out[index] = embedding.data.subarray(r * width, (r + 1) * width); });
    }
    return out;
  };
  let vectors = null;
  for (let i = 0; i < Number(warmup); i++) vectors = await runAll();
  const flat = new Float32Array(count * vectors[0].length);
  vectors.forEach((v, i) => flat.set(v, i * v.length));
  fs.writeFileSync(path.join(directory, "ort.f32"), Buffer.from(flat.buffer));
  const seconds = [];
  for (let i = 0; i < Number(runs); i++) {
    const start = process.hrtime.bigint();
    await runAll();
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  seconds.sort((a, b) => a - b);
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(`sentences_per_second=${(count / seconds[Math.floor(seconds.length / 2)]).toFixed(1)} peak_rss_mb=${peak.toFixed(1)}`);
}

main().catch((error) => { console.error(error); process.exit(1); });
