package io.sparkprop.core.model;

import io.sparkprop.core.data.Preprocessing;
import io.sparkprop.core.io.ModelIO;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A saved model folder used from Java exactly as the command line uses it: the model with the
 * {@code preprocessing.json} saved beside it, so that raw feature rows are standardised as in
 * training and predicted classes map back to the original labels (numbers or strings). Without
 * that file it is the model alone. Safe to share between threads ({@link Model#predict} is
 * synchronized; each call standardises its own copy of the rows).
 */
public final class Predictor {
  private final Model model;
  private final Preprocessing preprocessing;

  /** {@code model} with {@code preprocessing} (null: none). */
  public Predictor(Model model, Preprocessing preprocessing) {
    this.model = model;
    this.preprocessing = preprocessing == null ? Preprocessing.NONE : preprocessing;
  }

  /** The model and preprocessing of a model folder ({@code train}'s {@code run/model}, or {@code ModelIO.save}'s). */
  public static Predictor load(Path modelDir) throws IOException {
    return new Predictor(ModelIO.load(modelDir), ModelIO.loadPreprocessing(modelDir));
  }

  public Model model() {
    return model;
  }

  public Preprocessing preprocessing() {
    return preprocessing;
  }

  /** {@code raw[n, features]} as the network sees it: a standardised copy (the same array without standardisation). */
  public float[] prepare(float[] raw, int n) {
    if (preprocessing.mean() == null) {
      return raw;
    }
    float[] x = raw.clone();
    preprocessing.standardize(x, n);
    return x;
  }

  /** The model's outputs (probabilities for a classifier) for {@code n} raw rows. */
  public float[] predict(float[] raw, int n) {
    return model.predict(prepare(raw, n), n);
  }

  /** The predicted class index of each of {@code n} raw rows. */
  public int[] predictClasses(float[] raw, int n) {
    return model.predictClasses(prepare(raw, n), n);
  }

  /**
   * The predicted original label of each of {@code n} raw rows, as text: the training string
   * ({@code "setosa"}), or the number label as Java prints a double ({@code "3.0"}).
   */
  public String[] predictLabels(float[] raw, int n) {
    int[] c = predictClasses(raw, n);
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = preprocessing.labelText(c[i]);
    }
    return out;
  }
}
