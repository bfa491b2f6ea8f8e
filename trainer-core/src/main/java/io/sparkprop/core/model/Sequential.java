package io.sparkprop.core.model;

import io.sparkprop.core.layer.Layer;
import io.sparkprop.core.tensor.Rng;
import io.sparkprop.core.tensor.Shape;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An architecture: the input shape of one sample and a stack of layers. Immutable; every shape
 * and parameter tensor is inferred from the input shape, so no layer repeats its input size.
 * {@link Serializable} (Java serialization of a record re-runs the checks of its constructor), so
 * that Spark tasks carry it to the executors as it is; files hold its JSON.
 *
 * @param inputShape shape of one input sample ({@code (784)}, or {@code (1, 28, 28)} for images)
 * @param layers     the layers, first to last
 */
public record Sequential(Shape inputShape, List<Layer> layers) implements Serializable {

  public Sequential {
    if (inputShape == null) {
      throw new IllegalArgumentException("a Sequential model needs an input shape");
    }
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("a Sequential model needs at least one layer");
    }
    layers = List.copyOf(layers);
    Shape s = inputShape;
    for (int i = 0; i < layers.size(); i++) {
      try {
        s = layers.get(i).outputShape(s);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("layer " + i + " (" + layers.get(i).kind() + ") cannot take input "
            + s + ": " + e.getMessage(), e);
      }
    }
  }

  /** The model {@code layers} on samples of {@code input}. */
  public static Sequential of(Shape input, Layer... layers) {
    return new Sequential(input, List.of(layers));
  }

  /** Shapes of the input and after each layer ({@code layers().size() + 1} entries). */
  public List<Shape> shapes() {
    List<Shape> out = new ArrayList<>();
    Shape s = inputShape;
    out.add(s);
    for (Layer l : layers) {
      s = l.outputShape(s);
      out.add(s);
    }
    return out;
  }

  /** Shape of one output sample. */
  public Shape outputShape() {
    List<Shape> s = shapes();
    return s.get(s.size() - 1);
  }

  /** Where each tensor lives in the flat parameter vector. */
  public ParamLayout layout() {
    List<Shape> shapes = shapes();
    List<List<TensorSpec>> per = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      per.add(layers.get(i).params(shapes.get(i)));
    }
    return new ParamLayout(per);
  }

  /** Total number of floats in the parameter vector. */
  public int paramCount() {
    return layout().size();
  }

  /** Fresh parameters drawn from each tensor's initializer with a seeded stream. */
  public float[] initialParams(long seed) {
    ParamLayout layout = layout();
    float[] p = new float[layout.size()];
    Rng rng = new Rng(Rng.mix(seed, 0x1417));
    for (ParamLayout.Entry e : layout.entries()) {
      TensorSpec t = e.spec();
      t.initializer().fill(p, e.offset(), t.size(), t.fanIn(), t.fanOut(), rng);
    }
    return p;
  }

  /** Binds every layer: the computation with its own workspaces (one per thread). */
  public Network network() {
    return new Network(this);
  }

  /** A Keras-style table: layer, output shape, parameters, and the totals. */
  public String summary() {
    List<Shape> shapes = shapes();
    String rule = "-".repeat(66);
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%-28s %-24s %12s%n", "Layer (type)", "Output Shape", "Param #"));
    b.append("=".repeat(66)).append('\n');
    b.append(String.format(Locale.ROOT, "%-28s %-24s %12d%n", "input", "(None, " + inner(shapes.get(0)) + ")", 0));
    long total = 0;
    long trainable = 0;
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      long n = l.paramCount(shapes.get(i));
      for (TensorSpec t : l.params(shapes.get(i))) {
        trainable += t.trainable() ? t.size() : 0;
      }
      total += n;
      b.append(rule).append('\n');
      b.append(String.format(Locale.ROOT, "%-28s %-24s %12d%n",
          l.kind() + "_" + i + " (" + l.getClass().getSimpleName() + ")",
          "(None, " + inner(shapes.get(i + 1)) + ")", n));
    }
    b.append("=".repeat(66)).append('\n');
    b.append(String.format(Locale.ROOT, "Total params: %,d (%s)%n", total, bytes(total * 4)));
    b.append(String.format(Locale.ROOT, "Trainable params: %,d%n", trainable));
    b.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", total - trainable));
    return b.toString();
  }

  private static String inner(Shape s) {
    String t = s.toString();
    return t.substring(1, t.length() - 1);
  }

  private static String bytes(long n) {
    return n < 1024 * 1024 ? String.format(Locale.ROOT, "%.2f KB", n / 1024.0)
        : String.format(Locale.ROOT, "%.2f MB", n / (1024.0 * 1024));
  }
}
