package io.sparkprop.core.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.sparkprop.core.model.Model;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs an exported model in ONNX Runtime and measures how far its outputs are from sparkprop's
 * own {@link Model#predict} and {@link Model#predictRaw} on the same samples.
 */
final class OnnxRuntimeCheck {
  private OnnxRuntimeCheck() {
  }

  /** The outputs of one ONNX Runtime run, by name, as flat row-major arrays (double outputs apart). */
  record Run(Map<String, float[]> outputs, Map<String, long[]> shapes, Map<String, String> metadata,
             long[] inputShape, Map<String, double[]> doubles) {
  }

  /** Loads {@code onnx} into a fresh session and runs it on {@code n} samples {@code x}. */
  static Run run(byte[] onnx, float[] x, int n, int[] sampleDims) throws Exception {
    long[] shape = new long[sampleDims.length + 1];
    shape[0] = n;
    for (int i = 0; i < sampleDims.length; i++) {
      shape[i + 1] = sampleDims[i];
    }
    return run(onnx, OnnxExport.INPUT, env -> OnnxTensor.createTensor(env, FloatBuffer.wrap(x, 0, n * (x.length / n)),
        shape));
  }

  /** Runs a float-sequence model on {@code n} samples {@code x [n, T, F]} with their real {@code lengths}. */
  static Run runSequences(byte[] onnx, float[] x, int n, int t, int f, int[] lengths) throws Exception {
    long[] l = new long[n];
    for (int i = 0; i < n; i++) {
      l[i] = lengths[i];
    }
    Map<String, Input> inputs = new java.util.LinkedHashMap<>();
    inputs.put(OnnxExport.INPUT, env -> OnnxTensor.createTensor(env, FloatBuffer.wrap(x, 0, n * t * f),
        new long[] {n, t, f}));
    inputs.put(OnnxExport.LENGTHS, env -> OnnxTensor.createTensor(env, LongBuffer.wrap(l), new long[] {n}));
    return run(onnx, inputs);
  }

  /** Runs a token model on {@code n} rows of {@code t} ids (as int64). */
  static Run runIds(byte[] onnx, int[] ids, int n, int t) throws Exception {
    long[] v = new long[n * t];
    for (int i = 0; i < v.length; i++) {
      v[i] = ids[i];
    }
    return run(onnx, OnnxExport.IDS, env -> OnnxTensor.createTensor(env, LongBuffer.wrap(v), new long[] {n, t}));
  }

  /** Makes the input tensor. */
  interface Input {
    OnnxTensor make(OrtEnvironment env) throws Exception;
  }

  private static Run run(byte[] onnx, String inputName, Input input) throws Exception {
    return run(onnx, Map.of(inputName, input));
  }

  /** Runs {@code onnx} on the given inputs; the first one's declared shape is reported. */
  private static Run run(byte[] onnx, Map<String, Input> inputs) throws Exception {
    String inputName = inputs.keySet().iterator().next();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(onnx, opts)) {
        NodeInfo in = session.getInputInfo().get(inputName);
        if (in == null) {
          throw new AssertionError("the graph has no input " + inputName + ": " + session.getInputInfo().keySet());
        }
        long[] declared = ((TensorInfo) in.getInfo()).getShape();
        Map<String, float[]> out = new HashMap<>();
        Map<String, double[]> doubles = new HashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        Map<String, OnnxTensor> feed = new java.util.LinkedHashMap<>();
        try {
          for (Map.Entry<String, Input> e : inputs.entrySet()) {
            feed.put(e.getKey(), e.getValue().make(env));
          }
          collect(session.run(feed), out, doubles, shapes);
        } finally {
          for (OnnxTensor t : feed.values()) {
            t.close();
          }
        }
        return new Run(out, shapes, session.getMetadata().getCustomMetadata(), declared, doubles);
      }
    }
  }

  private static void collect(OrtSession.Result result, Map<String, float[]> out, Map<String, double[]> doubles,
                              Map<String, long[]> shapes) throws Exception {
    try (OrtSession.Result r = result) {
      for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
        OnnxTensor v = (OnnxTensor) e.getValue();
        if (v.getInfo().type == OnnxJavaType.DOUBLE) {
          DoubleBuffer b = v.getDoubleBuffer();
          double[] a = new double[b.remaining()];
          b.get(a);
          doubles.put(e.getKey(), a);
        } else {
          FloatBuffer b = v.getFloatBuffer();
          float[] a = new float[b.remaining()];
          b.get(a);
          out.put(e.getKey(), a);
        }
        shapes.put(e.getKey(), v.getInfo().getShape());
      }
    }
  }

  /** max |a[i] − b[i]|, failing on a length mismatch or a NaN. */
  static double maxAbsDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs((double) a[i] - b[i]);
      if (Double.isNaN(d)) {
        throw new AssertionError("NaN at " + i + ": " + a[i] + " vs " + b[i]);
      }
      m = Math.max(m, d);
    }
    return m;
  }

  /** max |a[i] − b[i]| / (1 + |b[i]|): for raw outputs, whose scale varies. */
  static double maxRelDiff(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
    }
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]) / (1 + Math.abs(b[i])));
    }
    return Double.isNaN(m) ? Double.POSITIVE_INFINITY : m;
  }
}
