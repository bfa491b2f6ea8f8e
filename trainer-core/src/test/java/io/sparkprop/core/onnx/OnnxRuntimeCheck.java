package io.sparkprop.core.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.sparkprop.core.model.Model;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs an exported model in ONNX Runtime and measures how far its outputs are from sparkprop's
 * own {@link Model#predict} and {@link Model#predictRaw} on the same samples.
 */
final class OnnxRuntimeCheck {
  private OnnxRuntimeCheck() {
  }

  /** The outputs of one ONNX Runtime run, by name, as flat row-major arrays. */
  record Run(Map<String, float[]> outputs, Map<String, long[]> shapes, Map<String, String> metadata,
             long[] inputShape) {
  }

  /** Loads {@code onnx} into a fresh session and runs it on {@code n} samples {@code x}. */
  static Run run(byte[] onnx, float[] x, int n, int[] sampleDims) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(onnx, opts)) {
        long[] shape = new long[sampleDims.length + 1];
        shape[0] = n;
        for (int i = 0; i < sampleDims.length; i++) {
          shape[i + 1] = sampleDims[i];
        }
        NodeInfo in = session.getInputInfo().get(OnnxExport.INPUT);
        long[] declared = ((TensorInfo) in.getInfo()).getShape();
        Map<String, float[]> out = new HashMap<>();
        Map<String, long[]> shapes = new HashMap<>();
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x, 0, n * (x.length / n)), shape);
             OrtSession.Result r = session.run(Map.of(OnnxExport.INPUT, t))) {
          for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
            OnnxTensor v = (OnnxTensor) e.getValue();
            FloatBuffer b = v.getFloatBuffer();
            float[] a = new float[b.remaining()];
            b.get(a);
            out.put(e.getKey(), a);
            shapes.put(e.getKey(), v.getInfo().getShape());
          }
        }
        return new Run(out, shapes, session.getMetadata().getCustomMetadata(), declared);
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
