package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.tensor.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * Applies a layer to every step of a sequence {@code (T, …)} with the same parameters (Keras'
 * {@code TimeDistributed}), e.g. {@code TimeDistributed(Dense(64))} maps {@code (T, F)} to
 * {@code (T, 64)}: the batch of {@code batch·T} steps goes through the inner layer at once (one
 * GEMM for a Dense). The inner layer sees one step's shape, {@code (F)} for {@code (T, F)}, and
 * owns the tensors (same names). Padded steps output zero and pass no gradient.
 *
 * @param layer the layer applied per step
 */
public record TimeDistributed(Layer layer) implements Layer {

  public TimeDistributed {
    if (layer == null) {
      throw new IllegalArgumentException("TimeDistributed needs a layer");
    }
  }

  @JsonCreator
  static TimeDistributed fromJson(@JsonProperty("layer") Layer layer) {
    return new TimeDistributed(layer);
  }

  static Shape step(Shape input) {
    if (input.rank() < 2) {
      throw new IllegalArgumentException("TimeDistributed needs a sequence input (steps, features), got " + input);
    }
    return Shape.of(Arrays.copyOfRange(input.dims(), 1, input.rank()));
  }

  @Override
  public Shape outputShape(Shape input) {
    return Shape.of(input.dim(0), layer.outputShape(step(input)).size());
  }

  @Override
  public List<TensorSpec> params(Shape input) {
    return layer.params(step(input));
  }

  @Override
  public Regularizer regularizer() {
    return layer.regularizer();
  }

  @Override
  public LayerModel bind(Shape input, ParamLayout layout, int index) {
    Shape s = step(input);
    return new Model(input.dim(0), s.size(), layer.outputShape(s).size(), layer.bind(s, layout, index));
  }

  @Override
  public String kind() {
    return "time_distributed";
  }

  /** The inner model on {@code batch·T} rows; its pass sees no lengths (its rows are steps). */
  private static final class Model implements LayerModel {
    private final int steps;
    private final int in;
    private final int out;
    private final LayerModel inner;
    private final Backward[] contexts = new Backward[2];
    private float[] dyMasked = new float[0];

    Model(int steps, int in, int out, LayerModel inner) {
      this.steps = steps;
      this.in = in;
      this.out = out;
      this.inner = inner;
    }

    @Override
    public void forward(float[] params, float[] x, float[] y, int batch, Pass pass) {
      int[] lengths = pass.lengths();
      pass.setLengths(null);
      try {
        inner.forward(params, x, y, batch * steps, pass);
      } finally {
        pass.setLengths(lengths);
      }
      SequenceMask.zeroPadded(y, batch, steps, out, lengths);
    }

    @Override
    public void backward(Backward b) {
      Pass pass = b.pass();
      int[] lengths = pass.lengths();
      int batch = b.batch();
      float[] dy = b.outputGrad();
      if (lengths != null) {
        int n = batch * steps * out;
        if (dyMasked.length < n) {
          dyMasked = new float[n];
        }
        System.arraycopy(dy, 0, dyMasked, 0, n);
        SequenceMask.zeroPadded(dyMasked, batch, steps, out, lengths);
        dy = dyMasked;
      }
      Backward c = context(pass).vectors(b.params(), b.paramGrads(), batch * steps)
          .layer(b.input(), b.output(), dy, b.inputGrad());
      pass.setLengths(null);
      try {
        inner.backward(c);
      } finally {
        pass.setLengths(lengths);
      }
      if (b.inputGrad() != null) {
        SequenceMask.zeroPadded(b.inputGrad(), batch, steps, in, lengths);
      }
    }

    /** One context per pass object (a network has two), made on first use. */
    private Backward context(Pass pass) {
      for (int i = 0; i < contexts.length; i++) {
        if (contexts[i] == null) {
          contexts[i] = new Backward(pass);
        }
        if (contexts[i].pass() == pass) {
          return contexts[i];
        }
      }
      contexts[1] = new Backward(pass);
      return contexts[1];
    }
  }
}
