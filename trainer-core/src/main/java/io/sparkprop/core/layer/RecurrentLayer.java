package io.sparkprop.core.layer;

import io.sparkprop.core.model.Initializer;
import io.sparkprop.core.model.ParamLayout;
import io.sparkprop.core.model.TensorSpec;
import io.sparkprop.core.tensor.Shape;
import java.util.List;

/**
 * What {@link SimpleRNN}, {@link LSTM} and {@link GRU} share: a cell of {@code gates} blocks of
 * {@code units} over a sequence input {@code (T, F)}, with the Keras weight layouts
 * {@code kernel [F, G·H]}, {@code recurrent_kernel [H, G·H]} and PyTorch's two biases
 * {@code input_bias [G·H]} and {@code recurrent_bias [G·H]}. Output {@code (T, H)} with
 * {@code returnSequences} (padded steps 0), else {@code (H)}: the state at each sample's last
 * real step.
 */
public sealed interface RecurrentLayer extends Layer permits SimpleRNN, LSTM, GRU {

  /** H, the size of the hidden state. */
  int units();

  /** True: the output at every step; false: the output at each sample's last real step. */
  boolean returnSequences();

  /** Initializer of the input kernel. */
  Initializer kernelInitializer();

  /** Initializer of the recurrent kernel. */
  Initializer recurrentInitializer();

  /** Initializer of both biases. */
  Initializer biasInitializer();

  /** The cell's equations. */
  RecurrentModel.Cell cell();

  @Override
  default Shape outputShape(Shape input) {
    if (input.rank() != 2) {
      throw new IllegalArgumentException(kind() + " takes a sequence (T, F), got " + input);
    }
    return returnSequences() ? Shape.of(input.dim(0), units()) : Shape.of(units());
  }

  @Override
  default List<TensorSpec> params(Shape input) {
    return tensors("", input);
  }

  /** The four tensors, names prefixed with {@code prefix} (Bidirectional's "forward_"). */
  default List<TensorSpec> tensors(String prefix, Shape input) {
    int f = input.dim(1);
    int h = units();
    int gh = cell().gates() * h;
    return List.of(
        TensorSpec.trainable(prefix + "kernel", Shape.of(f, gh), kernelInitializer(), f, gh),
        TensorSpec.trainable(prefix + "recurrent_kernel", Shape.of(h, gh), recurrentInitializer(), h, gh),
        TensorSpec.trainable(prefix + "input_bias", Shape.of(gh), biasInitializer(), f, gh),
        TensorSpec.trainable(prefix + "recurrent_bias", Shape.of(gh), biasInitializer(), h, gh));
  }

  @Override
  default LayerModel bind(Shape input, ParamLayout layout, int index) {
    return model("", input, layout, index, false);
  }

  /** The computation over tensors named with {@code prefix}, in reverse time order when asked. */
  default RecurrentModel model(String prefix, Shape input, ParamLayout layout, int index, boolean reverse) {
    return new RecurrentModel(cell(), input.dim(0), input.dim(1), units(), returnSequences(), reverse,
        layout.offset(index, prefix + "kernel"), layout.offset(index, prefix + "recurrent_kernel"),
        layout.offset(index, prefix + "input_bias"), layout.offset(index, prefix + "recurrent_bias"));
  }

  /** Checks units and fills Keras' default initializers: Glorot, orthogonal, zeros. */
  static Initializer[] defaults(int units, Initializer kernel, Initializer recurrent, Initializer bias) {
    if (units <= 0) {
      throw new IllegalArgumentException("a recurrent layer needs positive units, got " + units);
    }
    return new Initializer[] {kernel == null ? Initializer.GLOROT_UNIFORM : kernel,
        recurrent == null ? Initializer.ORTHOGONAL : recurrent, bias == null ? Initializer.ZEROS : bias};
  }
}
