package io.sparkprop.core.layer;

import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.tensor.Shape;

/**
 * Inverted dropout: while training each value is zeroed with probability {@code rate} and the
 * rest scaled by {@code 1/(1 − rate)}; at inference it is the identity. The mask comes from the
 * step's seeded random stream, so runs are reproducible.
 */
public record Dropout(double rate) implements Layer {

  public Dropout {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("Dropout rate must be in [0, 1), got " + rate);
    }
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    return new DropoutModel(input.size(), (float) rate);
  }

  @Override
  public String kind() {
    return "dropout";
  }

  /** Keeps the scaled mask of the last training forward pass as a workspace. */
  static final class DropoutModel implements LayerModel {
    private final int size;
    private final float rate;
    private final float scale;
    private float[] mask = new float[0];

    DropoutModel(int size, float rate) {
      this.size = size;
      this.rate = rate;
      this.scale = 1f / (1f - rate);
    }

    @Override
    public void forward(float[] params, float[] in, float[] out, int batch, Pass pass) {
      int n = batch * size;
      if (!pass.training() || rate == 0f) {
        System.arraycopy(in, 0, out, 0, n);
        return;
      }
      if (mask.length < n) {
        mask = new float[n];
      }
      for (int i = 0; i < n; i++) {
        mask[i] = pass.rng().nextFloat() < rate ? 0f : scale;
        out[i] = in[i] * mask[i];
      }
    }

    @Override
    public void backward(Backward b) {
      float[] dOut = b.outputGrad();
      float[] dIn = b.inputGrad();
      int batch = b.batch();
      Pass pass = b.pass();
      if (dIn == null) {
        return;
      }
      int n = batch * size;
      if (!pass.training() || rate == 0f) {
        System.arraycopy(dOut, 0, dIn, 0, n);
        return;
      }
      for (int i = 0; i < n; i++) {
        dIn[i] = dOut[i] * mask[i];
      }
    }
  }
}
