package io.sparkprop.core.model;

import io.sparkprop.core.layer.Backward;
import io.sparkprop.core.layer.LayerModel;
import io.sparkprop.core.layer.Pass;
import io.sparkprop.core.loss.Loss;
import io.sparkprop.core.metrics.MetricSums;
import io.sparkprop.core.loss.LossSums;
import io.sparkprop.core.tensor.Shape;
import io.sparkprop.core.tensor.StableGemm;
import java.util.List;

/**
 * The bound computation of a {@link Sequential}: the layer models and their activation and
 * delta buffers. Buffers are sized for the largest batch seen and only grow, so steady-state
 * training steps allocate nothing. Not thread-safe: one per thread.
 */
public final class Network {
  private final Sequential architecture;
  private final ParamLayout layout;
  private final LayerModel[] models;
  private final int[] sizes;
  private final Pass training = new Pass(true);
  private final Pass inference = new Pass(false);
  private Pass stable;
  private final Backward trainingBackward = new Backward(training);
  private final Backward inferenceBackward = new Backward(inference);
  private float[][] acts;
  private float[][] deltas;
  private float[] outGrad = new float[0];
  private float[] rowOut;
  private float[] rowGrad;
  private float[] rowLabel;
  private int capacity;

  Network(Sequential architecture) {
    this.architecture = architecture;
    this.layout = architecture.layout();
    List<Shape> shapes = architecture.shapes();
    int n = architecture.layers().size();
    this.models = new LayerModel[n];
    this.sizes = new int[n + 1];
    for (int i = 0; i < n; i++) {
      models[i] = architecture.layers().get(i).bind(shapes.get(i), layout, i);
      sizes[i] = shapes.get(i).size();
    }
    sizes[n] = shapes.get(n).size();
    this.acts = new float[n + 1][];
    this.deltas = new float[n + 1][];
  }

  /** The architecture this network computes. */
  public Sequential architecture() {
    return architecture;
  }

  /** The parameter layout. */
  public ParamLayout layout() {
    return layout;
  }

  /** Floats per input sample. */
  public int inputSize() {
    return sizes[0];
  }

  /** Floats per output sample. */
  public int outputSize() {
    return sizes[sizes.length - 1];
  }

  private void ensureCapacity(int batch) {
    if (batch <= capacity) {
      return;
    }
    for (int i = 1; i < sizes.length; i++) {
      acts[i] = new float[batch * sizes[i]];
      deltas[i] = new float[batch * sizes[i]];
    }
    outGrad = new float[batch * outputSize()];
    capacity = batch;
  }

  /**
   * Raw outputs (logits) of {@code x[batch, inputSize]}. The returned array is a workspace: valid
   * until the next call, rows beyond {@code batch} are garbage. {@code seed} seeds dropout.
   */
  public float[] forward(float[] params, float[] x, int batch, boolean trainingMode, long seed) {
    return forward(params, x, null, null, batch, trainingMode, seed);
  }

  /**
   * As {@link #forward(float[], float[], int, boolean, long)} for sequence input: {@code ids}
   * ({@code [batch, T]} token ids for a model starting with an Embedding, whose float input
   * {@code x} is then unused and may be empty) and {@code lengths} (real steps per sample) are
   * handed to the layers through the {@link Pass}; either may be null. They stay in force for the
   * matching {@link #backward}.
   */
  public float[] forward(float[] params, float[] x, int[] ids, int[] lengths, int batch, boolean trainingMode,
                         long seed) {
    return run(trainingMode ? training : inference, params, x, ids, lengths, batch, seed);
  }

  /**
   * Raw outputs of an inference pass whose forward GEMMs go through a {@link StableGemm}: each
   * output row's bits depend only on its own input row (and ids, length), not on the batch size,
   * the row's position in it or whether native BLAS exists. What {@code Model.predictRaw},
   * spark.ml {@code transform} and validation ({@link #evaluateBatch}) run; training's forward and
   * backward passes ({@link #forward}, {@link #trainBatch}) stay on BLAS, so their values differ
   * in the last bits. Same workspace contract as {@link #forward}.
   */
  public float[] predict(float[] params, float[] x, int[] ids, int[] lengths, int batch) {
    if (stable == null) {
      stable = new Pass(false, new StableGemm());
    }
    return run(stable, params, x, ids, lengths, batch, 0L);
  }

  private float[] run(Pass pass, float[] params, float[] x, int[] ids, int[] lengths, int batch, long seed) {
    ensureCapacity(batch);
    pass.rng().reseed(seed);
    pass.setIds(ids);
    pass.setLengths(lengths);
    acts[0] = x;
    for (int i = 0; i < models.length; i++) {
      models[i].forward(params, acts[i], acts[i + 1], batch, pass);
    }
    return acts[models.length];
  }

  /**
   * Back-propagates {@code dOut = ∂L/∂output} through the last {@link #forward} pass: adds
   * ∂L/∂θ into {@code grads} and, unless {@code dx} is null, writes ∂L/∂x into it.
   */
  public void backward(float[] params, float[] dOut, float[] grads, float[] dx, int batch, boolean trainingMode) {
    Backward b = (trainingMode ? trainingBackward : inferenceBackward).vectors(params, grads, batch);
    int n = models.length;
    deltas[n] = dOut;
    deltas[0] = dx;
    for (int i = n - 1; i >= 0; i--) {
      models[i].backward(b.layer(acts[i], acts[i + 1], deltas[i + 1], deltas[i]));
    }
  }

  /**
   * One training pass over a batch: forward (training mode), the loss summed over the batch,
   * and its gradient added into {@code grads}. Returns the loss sum, count and correct count.
   */
  public LossSums trainBatch(float[] params, float[] x, float[] y, int labelWidth, int batch, Loss loss,
                             long seed, float[] grads) {
    return trainBatch(params, x, null, null, y, null, labelWidth, batch, loss, seed, grads);
  }

  /**
   * {@link #trainBatch} of input that may be token ids and sequence lengths (see {@link
   * #forward(float[], float[], int[], int[], int, boolean, long)}; null when not), with a weight
   * per sample ({@code weights[batch]}, null = all 1): each sample's loss and its output gradient
   * are multiplied by its weight, so a weight of 2 adds what the sample twice would add.
   */
  public LossSums trainBatch(float[] params, float[] x, int[] ids, int[] lengths, float[] y, float[] weights,
                             int labelWidth, int batch, Loss loss, long seed, float[] grads) {
    return trainBatch(params, x, ids, lengths, y, weights, labelWidth, batch, loss, seed, grads, null);
  }

  /**
   * As above; embedding layers also mark the table rows they add into in {@code rows} (null: no
   * record), so that a caller can zero and send just those rows ({@link SparseRows}).
   */
  public LossSums trainBatch(float[] params, float[] x, int[] ids, int[] lengths, float[] y, float[] weights,
                             int labelWidth, int batch, Loss loss, long seed, float[] grads, SparseRows rows) {
    float[] out = forward(params, x, ids, lengths, batch, true, seed);
    int w = outputSize();
    double l;
    double weight = batch;
    if (weights == null) {
      l = loss.lossAndGradient(out, y, batch, w, labelWidth, outGrad);
    } else {
      l = weightedLossAndGradient(out, y, weights, labelWidth, batch, w, loss);
      weight = 0;
      for (int r = 0; r < batch; r++) {
        weight += weights[r];
      }
    }
    long correct = loss.countCorrect(out, y, batch, w, labelWidth);
    trainingBackward.rows(rows);
    try {
      backward(params, outGrad, grads, null, batch, true);
    } finally {
      trainingBackward.rows(null);
    }
    return new LossSums(l, batch, correct, weight);
  }

  /** Row by row through one-row scratch buffers (a per-sample loss does not depend on the others). */
  private double weightedLossAndGradient(float[] out, float[] y, float[] weights, int labelWidth, int batch, int w,
                                         Loss loss) {
    if (rowOut == null || rowOut.length < w || rowLabel.length < labelWidth) {
      rowOut = new float[w];
      rowGrad = new float[w];
      rowLabel = new float[labelWidth];
    }
    double l = 0;
    for (int r = 0; r < batch; r++) {
      System.arraycopy(out, r * w, rowOut, 0, w);
      System.arraycopy(y, r * labelWidth, rowLabel, 0, labelWidth);
      float wr = weights[r];
      l += wr * loss.lossAndGradient(rowOut, rowLabel, 1, w, labelWidth, rowGrad);
      for (int j = 0; j < w; j++) {
        outGrad[r * w + j] = wr * rowGrad[j];
      }
    }
    return l;
  }

  /**
   * Loss sum and correct count of a batch in inference mode (no gradient), through {@link
   * #predict}: validation losses are the bits that {@code Model.evaluate} gives afterwards.
   */
  public LossSums evaluateBatch(float[] params, float[] x, float[] y, int labelWidth, int batch, Loss loss) {
    return evaluateBatch(params, x, null, null, y, labelWidth, batch, loss, null);
  }

  /**
   * {@link #evaluateBatch} of input that may be token ids and sequence lengths (null when not),
   * adding the outputs to {@code metrics} (may be null).
   */
  public LossSums evaluateBatch(float[] params, float[] x, int[] ids, int[] lengths, float[] y, int labelWidth,
                                int batch, Loss loss, MetricSums metrics) {
    float[] out = predict(params, x, ids, lengths, batch);
    int w = outputSize();
    if (metrics != null) {
      metrics.add(out, y, batch, w, labelWidth);
    }
    double l = loss.lossAndGradient(out, y, batch, w, labelWidth, null);
    return new LossSums(l, batch, loss.countCorrect(out, y, batch, w, labelWidth));
  }
}
