package io.sparkprop.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where every tensor lives in the one flat parameter vector. Gradients and optimizer state use
 * the same layout, so broadcast, aggregation and optimizer steps are single loops over arrays.
 */
public final class ParamLayout {

  /**
   * One tensor's place.
   *
   * @param layer  index of the owning layer in the architecture
   * @param spec   what the tensor is
   * @param offset first index in the flat vector
   */
  public record Entry(int layer, TensorSpec spec, int offset) {
    /** One past the last index. */
    public int end() {
      return offset + spec.size();
    }
  }

  private final List<Entry> entries;
  private final int size;

  /** Lays out the tensors of each layer one after another, in layer order. */
  public ParamLayout(List<List<TensorSpec>> perLayer) {
    List<Entry> list = new ArrayList<>();
    int off = 0;
    for (int l = 0; l < perLayer.size(); l++) {
      for (TensorSpec spec : perLayer.get(l)) {
        list.add(new Entry(l, spec, off));
        off = Math.addExact(off, spec.size());
      }
    }
    this.entries = Collections.unmodifiableList(list);
    this.size = off;
  }

  /** All tensors in layout order. */
  public List<Entry> entries() {
    return entries;
  }

  /** Pairs {@code [from0, to0, from1, to1, ...]} of the trainable ranges, adjacent ones merged. */
  public int[] trainableRanges() {
    return ranges(true);
  }

  /** Pairs of the non-trainable (state) ranges, one pair per tensor. */
  public int[] stateRanges() {
    return ranges(false);
  }

  private int[] ranges(boolean trainable) {
    List<Integer> r = new ArrayList<>();
    for (Entry e : entries) {
      if (e.spec().trainable() != trainable) {
        continue;
      }
      int n = r.size();
      if (trainable && n > 0 && r.get(n - 1) == e.offset()) {
        r.set(n - 1, e.end());
      } else {
        r.add(e.offset());
        r.add(e.end());
      }
    }
    int[] out = new int[r.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.get(i);
    }
    return out;
  }

  /** Total number of floats. */
  public int size() {
    return size;
  }

  /** Number of trainable floats. */
  public int trainableSize() {
    int n = 0;
    for (Entry e : entries) {
      n += e.spec().trainable() ? e.spec().size() : 0;
    }
    return n;
  }

  /** The tensors of one layer, in order. */
  public List<Entry> ofLayer(int layer) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries) {
      if (e.layer() == layer) {
        out.add(e);
      }
    }
    return out;
  }

  /** Offset of the named tensor of a layer. */
  public int offset(int layer, String name) {
    for (Entry e : entries) {
      if (e.layer() == layer && e.spec().name().equals(name)) {
        return e.offset();
      }
    }
    throw new IllegalArgumentException("layer " + layer + " has no tensor '" + name + "'");
  }

  /** One line per tensor, e.g. {@code 0/kernel [784, 128] @0}, used in file headers. */
  public String describe() {
    StringBuilder b = new StringBuilder();
    for (Entry e : entries) {
      b.append(e.layer()).append('/').append(e.spec().name()).append(' ')
          .append(java.util.Arrays.toString(e.spec().shape().dims())).append(" @").append(e.offset())
          .append(e.spec().trainable() ? "" : " state").append('\n');
    }
    return b.toString();
  }
}
