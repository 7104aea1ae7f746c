import { readFile, rm } from "node:fs/promises";

interface HeapSnapshotFile {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
}

/**
 * The bytes of every object in a V8 heap snapshot except code: compiled code, bytecode, feedback
 * vectors, scope and function infos (node type "code"). Those belong to the functions a server has
 * run, not to its articles, and they keep changing while the JIT works; `heapUsed` minus the code
 * spaces leaves bytecode and feedback in, which in a one-article workload outweighs the article.
 */
export async function heapWithoutCode(file: string, options: { keep?: boolean } = {}): Promise<number> {
  const snapshot = JSON.parse(await readFile(file, "utf8")) as HeapSnapshotFile;
  if (!options.keep) await rm(file, { force: true });
  const fields = snapshot.snapshot.meta.node_fields;
  const code = snapshot.snapshot.meta.node_types[0].indexOf("code");
  const type = fields.indexOf("type");
  const size = fields.indexOf("self_size");
  let bytes = 0;
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) if (snapshot.nodes[i + type] !== code) bytes += snapshot.nodes[i + size]!;
  return bytes;
}
