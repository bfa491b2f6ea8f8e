package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.Initializer;

/**
 * GRU with PyTorch's gate order r, z, n and its equations (Keras {@code reset_after=True}): {@code r, z = σ(x·W + b_in + h·U + b_rec)}, {@code n = tanh(x·W_n + b_in,n + r⊙(h·U_n + b_rec,n))}, {@code h_t = (1 − z)⊙n + z⊙h_{t−1}}. Padded steps (at and past each sample's length) leave the state unchanged, output 0 and
 * get no gradient. See {@link RecurrentLayer} for the weight layouts and the output.
 *
 * @param units                hidden size H
 * @param returnSequences      output every step {@code (T, H)}, else the last real step {@code (H)}
 * @param kernelInitializer    default Glorot uniform (Keras)
 * @param recurrentInitializer default orthogonal (Keras)
 * @param biasInitializer      default zeros
 */
public record GRU(int units, boolean returnSequences, Initializer kernelInitializer,
                  Initializer recurrentInitializer, Initializer biasInitializer) implements RecurrentLayer {

  public GRU {
    Initializer[] d = RecurrentLayer.defaults(units, kernelInitializer, recurrentInitializer, biasInitializer);
    kernelInitializer = d[0];
    recurrentInitializer = d[1];
    biasInitializer = d[2];
  }

  @JsonCreator
  static GRU fromJson(@JsonProperty("units") int units, @JsonProperty("returnSequences") Boolean returnSequences,
                      @JsonProperty("kernelInitializer") Initializer kernel,
                      @JsonProperty("recurrentInitializer") Initializer recurrent,
                      @JsonProperty("biasInitializer") Initializer bias) {
    return new GRU(units, returnSequences != null && returnSequences, kernel, recurrent, bias);
  }

  /** Keras' defaults; the output at each sample's last real step. */
  public GRU(int units) {
    this(units, false, null, null, null);
  }

  /** Keras' defaults. */
  public GRU(int units, boolean returnSequences) {
    this(units, returnSequences, null, null, null);
  }

  @Override
  public RecurrentModel.Cell cell() {
    return Cells.GRU;
  }

  @Override
  public String kind() {
    return "gru";
  }
}
