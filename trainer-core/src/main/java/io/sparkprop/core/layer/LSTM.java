package io.sparkprop.core.layer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.sparkprop.core.model.Initializer;

/**
 * LSTM with PyTorch's gate order i, f, g, o: {@code i, f, o = σ(·)}, {@code g = tanh(·)} of {@code x_t·W + b_in + h_{t−1}·U + b_rec}; {@code c_t = f⊙c_{t−1} + i⊙g}, {@code h_t = o⊙tanh(c_t)}. Padded steps (at and past each sample's length) leave the state unchanged, output 0 and
 * get no gradient. See {@link RecurrentLayer} for the weight layouts and the output.
 *
 * @param units                hidden size H
 * @param returnSequences      output every step {@code (T, H)}, else the last real step {@code (H)}
 * @param kernelInitializer    default Glorot uniform (Keras)
 * @param recurrentInitializer default orthogonal (Keras)
 * @param biasInitializer      default zeros
 */
public record LSTM(int units, boolean returnSequences, Initializer kernelInitializer,
                  Initializer recurrentInitializer, Initializer biasInitializer) implements RecurrentLayer {

  public LSTM {
    Initializer[] d = RecurrentLayer.defaults(units, kernelInitializer, recurrentInitializer, biasInitializer);
    kernelInitializer = d[0];
    recurrentInitializer = d[1];
    biasInitializer = d[2];
  }

  @JsonCreator
  static LSTM fromJson(@JsonProperty("units") int units, @JsonProperty("returnSequences") Boolean returnSequences,
                      @JsonProperty("kernelInitializer") Initializer kernel,
                      @JsonProperty("recurrentInitializer") Initializer recurrent,
                      @JsonProperty("biasInitializer") Initializer bias) {
    return new LSTM(units, returnSequences != null && returnSequences, kernel, recurrent, bias);
  }

  /** Keras' defaults; the output at each sample's last real step. */
  public LSTM(int units) {
    this(units, false, null, null, null);
  }

  /** Keras' defaults. */
  public LSTM(int units, boolean returnSequences) {
    this(units, returnSequences, null, null, null);
  }

  @Override
  public RecurrentModel.Cell cell() {
    return Cells.LSTM;
  }

  @Override
  public String kind() {
    return "lstm";
  }
}
