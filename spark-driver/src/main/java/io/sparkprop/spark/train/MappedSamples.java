package io.sparkprop.spark.train;

import io.sparkprop.core.data.SampleStore;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A cached partition's samples in a memory-mapped local file, outside the JVM heap: one record
 * of 4-byte words per sample ({@code F} features, or token ids, then {@code L} label floats,
 * then the weight and the sequence length when the data has them), mapped read-only in segments
 * of at most {@code segmentBytes} (a mapping cannot pass 2 GB). The operating system's page cache
 * holds what fits in RAM and reads the rest from local disk, so a step that copies its 512 rows
 * reads about 1.6 MB (MNIST-sized samples) whatever the partition's size, and the heap holds only
 * {@link #rows} (4 bytes a sample).
 *
 * <p>The file is written once by {@link Writer} in the order pieces arrive from the shuffle, and
 * deleted as soon as it is mapped: the mapping keeps the data until the store is garbage
 * collected, and nothing is left on disk when the executor dies. {@link #rows} maps a sample's
 * place in the partition (pieces in block order, then row order: {@link Rebalancer}) to its
 * record, so the partition reads exactly as the in-memory concatenation it replaces.
 */
final class MappedSamples implements SampleStore {
  /** Largest mapped segment: a mapping is limited to 2 GB; 1 GB keeps well under it. */
  static final long SEGMENT_BYTES = 1L << 30;
  private final int size;
  private final Layout layout;
  private final FloatBuffer[] floats;
  private final IntBuffer[] ints;
  private final int[] rows;

  private MappedSamples(Writer w, FloatBuffer[] floats, IntBuffer[] ints, int[] rows) {
    this.size = rows.length;
    this.layout = w.layout;
    this.floats = floats;
    this.ints = ints;
    this.rows = rows;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public int featureSize() {
    return layout.featureSize;
  }

  @Override
  public int labelWidth() {
    return layout.labelWidth;
  }

  @Override
  public boolean isTokens() {
    return layout.tokens;
  }

  @Override
  public boolean hasLengths() {
    return layout.lengths;
  }

  @Override
  public boolean isWeighted() {
    return layout.weighted;
  }

  /** Bytes of the mapped records (on local disk, and in the page cache as far as it holds them). */
  long bytes() {
    return (long) size * layout.words * Float.BYTES;
  }

  @Override
  public void copySample(int row, int slot, float[] x, int[] ids, int[] l, float[] y, float[] w) {
    Layout lay = layout;
    int p = rows[row];
    int s = p / lay.rowsPerSegment;
    int at = (p - s * lay.rowsPerSegment) * lay.words;
    int f = lay.featureSize;
    if (lay.tokens) {
      ints[s].get(at, ids, slot * f, f);
    } else {
      floats[s].get(at, x, slot * f, f);
    }
    at += f;
    floats[s].get(at, y, slot * lay.labelWidth, lay.labelWidth);
    at += lay.labelWidth;
    if (lay.weighted) {
      w[slot] = floats[s].get(at++);
    }
    if (lay.lengths) {
      l[slot] = ints[s].get(at);
    }
  }

  /**
   * One record's layout in the file, shared by the writer and the reader: features (or token ids),
   * labels, then the weight and the length when present, {@code words} 4-byte words in all;
   * {@code rowsPerSegment} records per mapping.
   */
  private record Layout(int featureSize, int labelWidth, boolean tokens, boolean lengths, boolean weighted, int words,
                        int rowsPerSegment) {
    static Layout of(int featureSize, int labelWidth, boolean tokens, boolean lengths, boolean weighted,
                     long segmentBytes) {
      int words = featureSize + labelWidth + (weighted ? 1 : 0) + (lengths ? 1 : 0);
      int rowsPerSegment = (int) Math.max(1, Math.min(Integer.MAX_VALUE / words, segmentBytes / (4L * words)));
      return new Layout(featureSize, labelWidth, tokens, lengths, weighted, words, rowsPerSegment);
    }
  }

  /**
   * Appends pieces to a new file through a 4 MB buffer, then maps it ({@link #finish}). Holds one
   * buffer and a small table per piece, never the partition.
   */
  static final class Writer {
    private static final int BUFFER_BYTES = 4 << 20;
    private final File file;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private final FloatBuffer floatView;
    private final IntBuffer intView;
    private final Layout layout;
    private final List<long[]> pieces = new ArrayList<>(); // {block, seq, first record, count}
    private long records;

    /**
     * A writer of samples of {@code featureSize} values and {@code labelWidth} label floats
     * into {@code file}; {@code segmentBytes} caps a mapping (tests use small ones).
     */
    Writer(File file, int featureSize, int labelWidth, boolean tokens, boolean lengths, boolean weighted,
           long segmentBytes) {
      this.file = file;
      this.layout = Layout.of(featureSize, labelWidth, tokens, lengths, weighted, segmentBytes);
      this.buffer = ByteBuffer.allocateDirect(Math.max(BUFFER_BYTES, layout.words * Float.BYTES))
          .order(ByteOrder.nativeOrder());
      this.floatView = buffer.asFloatBuffer();
      this.intView = buffer.asIntBuffer();
      try {
        this.channel = FileChannel.open(file.toPath(), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.READ, StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create block file " + file, e);
      }
    }

    /** Appends the samples of {@code p}, remembering where they went. */
    void add(Rebalancer.Piece p) {
      pieces.add(new long[] {p.block(), p.seq(), records, p.count()});
      int f = layout.featureSize;
      int labelWidth = layout.labelWidth;
      int need = layout.words * Float.BYTES;
      for (int k = 0; k < p.count(); k++) {
        if (buffer.remaining() < need) {
          flush();
        }
        int at = buffer.position() / Float.BYTES;
        if (layout.tokens) {
          intView.put(at, p.tokens(), k * f, f);
        } else {
          floatView.put(at, p.features(), k * f, f);
        }
        at += f;
        floatView.put(at, p.labels(), k * labelWidth, labelWidth);
        at += labelWidth;
        if (layout.weighted) {
          floatView.put(at++, p.weights()[k]);
        }
        if (layout.lengths) {
          intView.put(at, p.lengths()[k]);
        }
        buffer.position(buffer.position() + need);
      }
      records += p.count();
    }

    private void flush() {
      buffer.flip();
      try {
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write block file " + file + " (local disk full?)", e);
      }
      buffer.clear();
    }

    /** Maps the file written so far, deletes its name, and orders the records as the pieces' (block, seq). */
    MappedSamples finish() {
      flush();
      int n = Math.toIntExact(records);
      int rowsPerSegment = layout.rowsPerSegment;
      int words = layout.words;
      int segments = (int) ((n + (long) rowsPerSegment - 1) / rowsPerSegment);
      FloatBuffer[] fs = new FloatBuffer[segments];
      IntBuffer[] is = new IntBuffer[segments];
      try (channel) {
        for (int s = 0; s < segments; s++) {
          long from = (long) s * rowsPerSegment;
          long count = Math.min(rowsPerSegment, n - from);
          ByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, from * words * Float.BYTES,
              count * words * Float.BYTES).order(ByteOrder.nativeOrder());
          fs[s] = m.asFloatBuffer();
          is[s] = m.asIntBuffer();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot map block file " + file, e);
      } finally {
        try {
          Files.deleteIfExists(file.toPath());
        } catch (IOException ignored) {
          // Spark deletes its local directories when the executor stops
        }
      }
      pieces.sort(Comparator.<long[]>comparingLong(a -> a[0]).thenComparingLong(a -> a[1]));
      int[] rows = new int[n];
      int at = 0;
      for (long[] p : pieces) {
        for (int k = 0; k < p[3]; k++) {
          rows[at++] = (int) (p[2] + k);
        }
      }
      return new MappedSamples(this, fs, is, rows);
    }
  }
}
